"""Validation records on the partner timeline (see ctpat.timeline)."""

from ctpat.timeline import TimelineEntry

from .models import ValidationEvent


def validation_events(partner, viewer):
    events = ValidationEvent.objects.filter(validation__enrollment__partner=partner).select_related(
        "actor", "validation"
    )
    if not viewer.is_cbp_staff:
        events = events.filter(internal=False)
    for event in events.order_by("-at")[:500]:
        change = (
            f"{event.get_from_status_display()} → {event.get_to_status_display()}"
            if event.from_status and event.from_status != event.to_status
            else event.get_to_status_display()
        )
        yield TimelineEntry(
            at=event.at,
            actor=event.actor,
            title=f"{event.validation.get_kind_display()}: {change}",
            reason=event.comment,
        )


# Registered by the app's AppConfig.ready().
SOURCES = [validation_events]
