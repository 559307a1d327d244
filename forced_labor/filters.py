"""The review queue's filters (query string: ?office=, ?partner=)."""

import django_filters

from accounts.choices import Role
from accounts.models import FieldOffice
from partners.models import Partner


class ReviewQueueFilter(django_filters.FilterSet):
    """A field office the user works in (all of them for an administrator), one partner."""

    office = django_filters.ModelChoiceFilter(
        field_name="partner__field_office",
        queryset=FieldOffice.objects.none(),
        label="Field office",
    )
    partner = django_filters.ModelChoiceFilter(queryset=Partner.objects.none(), label="Partner")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        offices = FieldOffice.objects.all()
        if user.role != Role.ADMINISTRATOR:
            offices = offices.filter(pk=user.field_office_id)
        self.filters["office"].queryset = offices
        self.filters["partner"].queryset = Partner.objects.visible_to(user)
