"""Long forms: an invalid form comes back with a summary at the top that links to each field
in error, each error tied to its field, and every value as it was typed, dates included."""

import re

import pytest
from django.urls import reverse

from ctpat.forms import DateInput
from partners.models import Partner
from tests.factories import UserFactory
from tests.partners.test_partner_pages import create_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialist(client):
    user = UserFactory(specialist=True)
    client.force_login(user)
    return user


def summary_of(html):
    match = re.search(
        r'<div class="alert alert-danger" role="alert"[^>]*data-error-summary.*?</div>', html, re.S
    )
    assert match, "no error summary"
    return match.group(0)


@pytest.mark.parametrize("typed", ["2026-02-30", "31/12/2026"])
def test_an_invalid_date_comes_back_as_typed_with_a_clear_error(client, specialist, typed):
    payload = create_payload(specialist.field_office, applied_on=typed, legal_name="")
    html = client.post(reverse("partners:create"), payload).content.decode()
    assert not Partner.objects.exists()
    field = re.search(r'<input[^>]*name="applied_on"[^>]*>', html).group(0)
    assert f'value="{typed}"' in field
    # A date picker would empty itself on a value it cannot read: a text box keeps it.
    assert 'type="text"' in field and 'placeholder="YYYY-MM-DD"' in field
    assert "id_applied_on_error" in field.split("aria-describedby=")[1]
    assert 'id="id_applied_on_error"' in html
    assert "Enter a date that exists, as YYYY-MM-DD" in html
    # Everything else typed is kept too.
    assert 'value="5 Border Way"' in html


def test_the_summary_links_to_each_field_in_error(client, specialist):
    payload = create_payload(
        specialist.field_office,
        legal_name="",
        applied_on="2026-02-30",
        **{"identifiers-0-value": "TOO-LONG1"},
    )
    html = client.post(reverse("partners:create"), payload).content.decode()
    summary = summary_of(html)
    assert 'href="#id_legal_name"' in summary
    assert 'href="#id_applied_on"' in summary
    assert 'href="#id_identifiers-0-value"' in summary
    assert "A SCAC is 2 to 4 letters." in summary
    assert "There are 3 problems with this form" in summary
    # Focused on load by a static script: the CSP forbids inline script.
    assert 'src="/static/js/error-summary.js"' in html
    assert 'tabindex="-1"' in summary
    assert 'aria-describedby="id_legal_name_error"' in html
    assert 'id="id_legal_name_error"' in html


def test_no_summary_on_a_fresh_form(client, specialist):
    html = client.get(reverse("partners:create")).content.decode()
    assert "data-error-summary" not in html


def test_a_valid_date_keeps_the_date_picker():
    html = DateInput().render("on", "2026-12-31")
    assert 'type="date"' in html and 'value="2026-12-31"' in html
    from datetime import date

    assert 'value="2026-12-31"' in DateInput().render("on", date(2026, 12, 31))
