"""The proposal list's filter (query string: ?status=)."""

import django_filters

from .choices import ProposalStatus


class ProposalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label="Status")
