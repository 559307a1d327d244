from ctpat.timeline import TimelineEntry

from .models import Submission


def forced_labor_submissions(partner, viewer):
    submissions = Submission.objects.filter(partner=partner).select_related(
        "requirement", "submitted_by", "reviewer"
    )
    for s in submissions.order_by("-submitted_at")[:500]:
        yield TimelineEntry(
            at=s.submitted_at,
            actor=s.submitted_by,
            title=f"Forced labor: {s.requirement.name} version {s.version} submitted",
            reason=s.notes,
        )
        if s.reviewed_at:
            yield TimelineEntry(
                at=s.reviewed_at,
                actor=s.reviewer,
                title=f"Forced labor: {s.requirement.name} version {s.version} "
                f"{s.get_decision_display().lower()}",
                reason=s.review_reason,
            )


# Registered by the app's AppConfig.ready().
SOURCES = [forced_labor_submissions]
