from ctpat.timeline import TimelineEntry, register

from .models import AgencyParticipation, Observation


@register
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


@register
def agency_participations(partner, viewer):
    for p in AgencyParticipation.objects.filter(partner=partner).select_related(
        "offering__agency", "recorded_by"
    ):
        yield TimelineEntry(
            at=p.recorded_at,
            actor=p.recorded_by,
            title=f"Takes part in {p.offering} from {p.since:%B %-d, %Y}",
        )


@register
def benefits_applied_and_stopped(partner, viewer):
    """When each benefit started and stopped applying (derived from the enrollments)."""
    from datetime import datetime, time

    from django.utils import timezone

    from .selectors import benefit_history

    def at(day):
        return timezone.make_aware(datetime.combine(day, time.min))

    for row in benefit_history(partner):
        for period in row.periods:
            yield TimelineEntry(
                at=at(period.start), actor=None,
                title=f"Benefit applies: {row.benefit.name}", reason=period.reason,
            )  # fmt: skip
            if period.end:
                yield TimelineEntry(
                    at=at(period.end), actor=None, title=f"Benefit stops: {row.benefit.name}"
                )
