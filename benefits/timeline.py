"""Benefits on the partner timeline: figures recorded, corrected or imported, and agency
participations, one query each. When each benefit applied is derived on the partner's
benefits page (selectors.benefit_history), which replays the enrollment moves already on
this timeline."""

from ctpat.timeline import TimelineEntry

from .models import AgencyParticipation, Observation


def benefit_figures(partner, viewer):
    """Figures entered, corrected or imported for the partner (one entry per import)."""
    history = (
        Observation.history.filter(partner_id=partner.pk)
        .select_related("history_user")
        .order_by("-history_date")[:500]
    )
    seen_imports = set()
    for record in history:
        if record.imported_in_id:
            if record.imported_in_id in seen_imports:
                continue
            seen_imports.add(record.imported_in_id)
            title = f"Benefits: monthly figures imported ({record.source})"
        elif record.history_type == "+":
            title = f"Benefits: figures of {record.period:%B %Y} recorded"
        else:
            title = f"Benefits: figures of {record.period:%B %Y} corrected"
        yield TimelineEntry(
            at=record.history_date,
            actor=record.history_user,
            title=title,
            reason=record.history_change_reason or "",
        )


def agency_participations(partner, viewer):
    for p in AgencyParticipation.objects.filter(partner=partner).select_related(
        "offering__agency", "recorded_by"
    ):
        yield TimelineEntry(
            at=p.recorded_at,
            actor=p.recorded_by,
            title=f"Takes part in {p.offering} from {p.since:%B %-d, %Y}",
        )


# Registered by the app's AppConfig.ready().
SOURCES = [benefit_figures, agency_participations]
