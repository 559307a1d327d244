"""The validation and required-action lists' filters (validations.filters)."""

import pytest

from tests.factories import EnrollmentFactory, PartnerFactory, UserFactory, ValidationFactory

pytestmark = pytest.mark.django_db


def test_the_validation_list_filters_by_partner_and_status(client):
    validation = ValidationFactory()
    ValidationFactory()
    client.force_login(validation.lead)
    partner = validation.enrollment.partner_id
    page = client.get("/validations/", {"partner": partner}).context["page"]
    assert [v.pk for v in page.object_list] == [validation.pk]
    assert client.get("/validations/", {"status": "open"}).status_code == 200


@pytest.mark.parametrize("query", [{"partner": "abc"}, {"status": "nonsense"}, {"partner": "-1"}])
def test_a_malformed_filter_on_validations_is_left_out_and_said(client, query):
    validation = ValidationFactory()
    client.force_login(validation.lead)
    response = client.get("/validations/", query)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    assert 'data-testid="filter-errors"' in response.content.decode()


def test_a_malformed_state_on_required_actions_falls_back_to_open_and_is_said(client):
    validation = ValidationFactory()
    client.force_login(validation.lead)
    response = client.get("/validations/actions/", {"state": "nonsense"})
    assert response.status_code == 200 and response.context["state"] == "open"
    assert 'data-testid="filter-errors"' in response.content.decode()


def test_only_those_i_lead_is_a_checkbox_for_cbp_staff(client):
    mine = ValidationFactory()
    office = mine.enrollment.partner.field_office
    partner = PartnerFactory(field_office=office, security=False)
    ValidationFactory(enrollment=EnrollmentFactory(partner=partner, certified=True))
    client.force_login(mine.lead)
    assert client.get("/validations/").context["page"].paginator.count == 2
    led = client.get("/validations/", {"mine": "1"}).context["page"].object_list
    assert [v.pk for v in led] == [mine.pk]


def test_an_id_beyond_any_row_is_left_out_not_a_500(client):
    client.force_login(UserFactory(specialist=True))
    answer = client.get("/validations/?partner=99999999999999999999999")
    assert answer.status_code == 200
    assert 'data-testid="filter-errors"' in answer.content.decode()
