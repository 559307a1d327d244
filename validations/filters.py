"""The validation and required-action lists' filters (query string: ?status=, ?mine=, ?partner=,
?state=)."""

import django_filters
from django.utils import timezone

from ctpat.filters import CheckFilter, IdFilter

from . import selectors
from .choices import OPEN, Status


class ValidationFilter(django_filters.FilterSet):
    """Status (or every open one), the validations I lead, one partner's."""

    status = django_filters.ChoiceFilter(
        choices=[("open", "Open"), *Status.choices], method="by_status", label="Status"
    )
    mine = CheckFilter(method="led_by_me", label="Only those I lead")
    partner = IdFilter(field_name="enrollment__partner_id", label="Partner")

    def by_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN)
        return queryset.filter(status=value)

    def led_by_me(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(lead=user) if value and user.is_cbp_staff else queryset


class RequiredActionFilter(django_filters.FilterSet):
    """One of selectors.ACTION_STATES; the open ones when none, or an unknown one, is asked."""

    state = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _) in selectors.ACTION_STATES.items()],
        label="State",
    )

    @property
    def state_shown(self) -> str:
        self.is_valid()
        return self.form.cleaned_data.get("state") or "open"

    def filter_queryset(self, queryset):
        return selectors.in_action_state(queryset, self.state_shown, timezone.localdate())
