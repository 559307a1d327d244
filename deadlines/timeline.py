"""Extension requests and consequence decisions on the partner's timeline."""

from ctpat.timeline import TimelineEntry

from .models import Consequence, ExtensionRequest


def extension_requests(partner, viewer):
    requests = ExtensionRequest.objects.filter(partner=partner).select_related(
        "requested_by", "decided_by"
    )
    for x in requests.order_by("-requested_at")[:500]:
        yield TimelineEntry(
            at=x.requested_at,
            actor=x.requested_by,
            title=f"Extension asked: {x.deadline_label}, due {x.due_on:%B %-d, %Y}, "
            f"to {x.requested_until:%B %-d, %Y}",
            reason=x.reason,
        )
        if x.decided_at:
            outcome = f"granted to {x.granted_until:%B %-d, %Y}" if x.granted_until else "denied"
            yield TimelineEntry(
                at=x.decided_at,
                actor=x.decided_by,
                title=f"Extension {outcome}: {x.deadline_label}",
                reason=x.decision_note,
            )


def consequences(partner, viewer):
    """CBP sees proposals and decisions; a partner's users only the confirmed outcome (the
    proposal and its discussion are CBP's internal business)."""
    staff = viewer.is_cbp_staff
    decided = Consequence.objects.filter(partner=partner).select_related("decided_by")
    if not staff:
        decided = decided.filter(status=Consequence.Status.CONFIRMED)
    for c in decided[:500]:
        if not staff:
            yield TimelineEntry(
                at=c.decided_at,
                actor=c.decided_by,
                title=f"Confirmed by CBP: {c.label}",
            )
            continue
        yield TimelineEntry(
            at=c.proposed_at,
            actor=None,
            title=f"Proposed by the deadline sweep: {c.label}",
        )
        if c.decided_at:
            yield TimelineEntry(
                at=c.decided_at,
                actor=c.decided_by,
                title=f"{c.get_status_display()}: {c.label}",
                reason=c.reason,
            )


# Registered by the app's AppConfig.ready().
SOURCES = [extension_requests, consequences]
