"""Security certification needs an accepted Security Profile (issue 16): registered as a
"certification_checks" contribution, which partners' certify rule reads without importing
this app."""

from django.utils.translation import gettext as _

from .selectors import has_accepted_profile


def accepted_profile(enrollment):
    if not has_accepted_profile(enrollment.partner_id):
        yield _(
            "Certification needs an accepted Security Profile; CBP has not accepted one from "
            "this partner yet."
        )


# Registered by ProfilesConfig.ready().
CHECKS = [accepted_profile]
