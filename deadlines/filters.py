"""The extension-request list's filters (query string: ?status=, ?partner=)."""

import django_filters

from ctpat.filters import IdFilter

from .models import ExtensionRequest


class ExtensionRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ExtensionRequest.Status.choices, label="Status")
    partner = IdFilter(field_name="partner_id", label="Partner")

    class Meta:
        model = ExtensionRequest
        fields = ["status", "partner"]
