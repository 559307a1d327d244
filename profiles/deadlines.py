"""A Security Profile submitted more than half blank must be completed (DOMAIN.md, a
secondary source: 14 days to fix a blank profile; both numbers are rules of the table).

The due date is stored on the flagged version when it is submitted (a decision keeps the
rule it was made under), so the page and the sweep read the same date.
"""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ctpat.deadlines import (
    Deadline,
    DeadlineKind,
    DueItem,
    OwedBy,
    deadline_key,
    for_partners,
    path_maker,
)
from partners.choices import Program

from .models import SecurityProfile

CODE = "blank_profile"
LABEL = _("Complete the Security Profile submitted half blank")


def _open_flags():
    return SecurityProfile.objects.filter(
        blank_fix_due_on__isnull=False, blank_fixed_at__isnull=True
    )


def _blank_profile(partner, *, blank_profiles=None, **_):
    """`blank_profiles`: the partner's flagged versions, when the caller has them."""
    flagged = (
        blank_profiles if blank_profiles is not None else _open_flags().filter(partner=partner)
    )
    for profile in flagged:
        yield Deadline(
            CODE,
            str(LABEL),
            profile.blank_fix_due_on,
            OwedBy.PARTNER,
            key=deadline_key(CODE, profile.pk, profile.blank_fix_due_on),
        )


def _blank_profile_due_items(until, partner_ids=None):
    rows = for_partners(_open_flags().filter(blank_fix_due_on__lte=until), partner_ids).values(
        "pk",
        "partner_id",
        "blank_fix_due_on",
        specialist_id=F("partner__specialist_id"),
        office_id=F("partner__field_office_id"),
        partner_name=F("partner__legal_name"),
    )
    page = path_maker("profiles:partner")
    for row in rows:
        yield DueItem(
            key=deadline_key(CODE, row["pk"], row["blank_fix_due_on"]),
            partner_id=row["partner_id"],
            due_on=row["blank_fix_due_on"],
            label=str(LABEL),
            url=page(row["partner_id"]),
            owed_by=OwedBy.PARTNER,
            specialist_id=row["specialist_id"],
            field_office_id=row["office_id"],
            partner_name=row["partner_name"],
        )


# Registered by the app's AppConfig.ready().
KINDS = [
    DeadlineKind(
        CODE,
        str(LABEL),
        OwedBy.PARTNER,
        _blank_profile,
        due_items=_blank_profile_due_items,
        program=Program.SECURITY,
    ),
]
