"""The review queue's filters (forced_labor.filters): a malformed value is left out."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", [{"office": "abc"}, {"partner": "abc"}, {"office": "999999"}])
def test_a_malformed_filter_on_the_queue_is_left_out_and_said(client, tc, query):
    client.force_login(tc["specialist"])
    response = client.get(reverse("forced_labor:queue"), query)
    assert response.status_code == 200
    assert response.context["office"] is None and response.context["partner"] is None
    assert 'data-testid="filter-errors"' in response.content.decode()


def test_the_queue_filters_by_the_users_own_office(client, tc):
    client.force_login(tc["specialist"])
    office = tc["specialist"].field_office_id
    response = client.get(reverse("forced_labor:queue"), {"office": office})
    assert response.status_code == 200 and response.context["office"].pk == office
    assert 'data-testid="filter-errors"' not in response.content.decode()
