"""The partner list's filters (partners.filters): a malformed value is left out and said."""

import pytest
from django.urls import reverse

from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", [{"field_office": "abc"}, {"program": "nonsense"}, {"tier": "9"}, {"sort": "x"}]
)
def test_a_malformed_filter_on_partners_is_left_out_and_said(client, query):
    specialist = UserFactory(specialist=True)
    PartnerFactory(field_office=specialist.field_office)
    client.force_login(specialist)
    response = client.get(reverse("partners:list"), query)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    assert 'data-testid="filter-errors"' in response.content.decode()
