"""The proposal list's status filter (benefits.filters)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_unknown_status_is_left_out_and_said(client, specialist):
    client.force_login(specialist)
    response = client.get(reverse("benefits:proposals"), {"status": "nonsense"})
    assert response.status_code == 200 and response.context["status"] == ""
    assert 'data-testid="filter-errors"' in response.content.decode()
