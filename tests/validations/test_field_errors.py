"""A refusal about one input is shown beside that input (DomainError(field=...))."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_past_due_date_is_refused_beside_the_due_date(client, people, planned):
    client.force_login(people["specialist"])
    url = reverse("validations:request_add", args=[planned.pk])
    token = client.get(url).context["form"]["submission"].initial
    yesterday = date.today() - timedelta(days=1)
    response = client.post(
        url, {"name": "Seal log", "due_on": yesterday.isoformat(), "submission": token}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["due_on"] == ["The due date cannot be in the past."]
    assert not form.non_field_errors()
