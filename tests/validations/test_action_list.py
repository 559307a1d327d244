"""The required-action list behind the dashboard's action figures."""

from datetime import date, timedelta

import pytest

from tests.factories import MembershipFactory, ValidationFactory
from validations.models import CriterionVersion, Finding, RequiredAction

pytestmark = pytest.mark.django_db


def actions_of(validation, count, *, due_on, status="open", skip=0):
    versions = list(CriterionVersion.objects.order_by("pk")[skip : skip + count])
    assert len(versions) == count, "the criteria catalogue (a data migration) is missing"
    for version in versions:
        finding = Finding.objects.create(
            validation=validation,
            criterion_version=version,
            result="required_action",
            narrative="Fix it.",
        )
        RequiredAction.objects.create(finding=finding, due_on=due_on, status=status)


def test_states_filter_and_another_partners_actions_never_show(client):
    mine = ValidationFactory()
    actions_of(mine, 2, due_on=date.today() - timedelta(days=3))
    actions_of(
        mine, 1, due_on=date.today() + timedelta(days=30), status="response_submitted", skip=2
    )
    other = ValidationFactory()
    other.enrollment.partner.legal_name = "Other Secret Corp"
    other.enrollment.partner.save()
    actions_of(other, 2, due_on=date.today() - timedelta(days=3))
    client.force_login(MembershipFactory(partner=mine.enrollment.partner).user)
    overdue = client.get("/validations/actions/", {"state": "overdue"})
    assert overdue.context["page"].paginator.count == 2
    assert "Other Secret" not in overdue.text
    assert (
        client.get("/validations/actions/", {"state": "to_decide"}).context["page"].paginator.count
        == 1
    )
    # An unknown state falls back to the open ones.
    assert client.get("/validations/actions/", {"state": "x"}).context["state"] == "open"


@pytest.mark.parametrize("count", [2, 20])
def test_the_query_count_does_not_grow(client, count, django_assert_max_num_queries):
    validation = ValidationFactory()
    actions_of(validation, count, due_on=date.today())
    client.force_login(validation.lead)
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    with django_assert_max_num_queries(10):
        response = client.get("/validations/actions/")
    assert response.context["page"].paginator.count == count
