from django.utils.translation import gettext as _

from ctpat.timeline import TimelineEntry

from .choices import ProfileStatus
from .models import SecurityProfile


def profile_versions(partner, viewer):
    """Each version's submission and CBP's decision on it."""
    versions = SecurityProfile.objects.filter(partner=partner, submitted_at__isnull=False)
    for p in versions.select_related("submitted_by", "reviewer").order_by("-version")[:200]:
        yield TimelineEntry(
            at=p.submitted_at,
            actor=p.submitted_by,
            title=_("Security Profile version %(n)s submitted, signed by %(name)s (%(title)s)")
            % {"n": p.version, "name": p.signed_name, "title": p.signed_title},
        )
        if p.decided_at and p.status in (ProfileStatus.ACCEPTED, ProfileStatus.RETURNED):
            yield TimelineEntry(
                at=p.decided_at,
                actor=p.reviewer,
                title=_("Security Profile version %(n)s %(status)s")
                % {"n": p.version, "status": p.get_status_display().lower()},
                reason=p.decision_comment,
            )


# Registered by the app's AppConfig.ready().
SOURCES = [profile_versions]
