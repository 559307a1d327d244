"""The audit log's filters (query string: ?actor=, ?partner=, ?event=, ?object_type=,
?since=, ?until=). A value that does not parse is left out, and the page says so."""

from datetime import date, datetime, time, timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctpat.filters import IdFilter

from .choices import AuditEventType
from .models import AuditEvent


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="icontains", label=_("Actor email contains")
    )
    partner = IdFilter(field_name="partner_id", label=_("Partner id"))
    event = django_filters.ChoiceFilter(choices=AuditEventType.choices, label=_("Event"))
    object_type = django_filters.CharFilter(
        field_name="object_type", label=_("Object type"), help_text="validations.finding"
    )
    since = django_filters.DateFilter(method="filter_since", label=_("From"))
    until = django_filters.DateFilter(method="filter_until", label=_("To"))

    class Meta:
        model = AuditEvent
        fields = ["actor", "partner", "event", "object_type", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            css = "form-select" if name == "event" else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"
            if name in ("since", "until"):
                field.widget.input_type = "date"

    # Whole days in local time, as a range on `at` (its index), not a date of it.
    def filter_since(self, queryset, name, value):
        return queryset.filter(at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        if value == date.max:  # the calendar's last day: nothing is later
            return queryset
        return queryset.filter(at__lt=_start_of(value + timedelta(days=1)))
