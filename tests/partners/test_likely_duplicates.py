"""A new partner whose legal name is close to an existing one of the same country and entity
type, or whose identifier is on file, is held with a warning that links to the likely
duplicates; "Create anyway" needs a reason, which the audit log keeps."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from partners.duplicates import likely_duplicates, normalized_name
from partners.models import Partner
from tests.factories import FieldOfficeFactory, IdentifierFactory, PartnerFactory, UserFactory
from tests.partners.test_partner_pages import create_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialist(client):
    user = UserFactory(specialist=True)
    client.force_login(user)
    return user


def acme(office, **extra):
    fields = {
        "legal_name": "Acme Imports Inc.",
        "country": "US",
        "entity_type": "highway_carrier",
        "highway_border": "us_canada",
    }
    return PartnerFactory(field_office=office, **fields | extra)


def payload(office, **changes):
    return create_payload(office, legal_name="ACME Imports, LLC", **changes)


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("Acme Imports Inc.", "acme imports"),
        ("ACME IMPORTS, L.L.C.", "acme imports"),
        ("Acme Imports Co", "acme imports"),
        ("Société Générale S.A. de C.V.", "societe generale"),
        ("Co", "co"),
    ],
)
def test_names_compare_without_case_punctuation_or_company_suffix(name, normal):
    assert normalized_name(name) == normal


def test_a_close_name_is_held_with_links_to_the_likely_duplicates(client, specialist):
    existing = acme(specialist.field_office)
    response = client.post(reverse("partners:create"), payload(specialist.field_office))
    html = response.content.decode()
    assert response.status_code == 200
    assert Partner.objects.count() == 1
    assert "This partner may already be in the program" in html
    assert reverse("partners:detail", args=[existing.pk]) in html
    assert 'name="duplicate_reason"' in html
    assert "Create anyway" in html


def test_create_anyway_needs_a_reason_which_the_audit_log_keeps(client, specialist):
    acme(specialist.field_office)
    data = payload(specialist.field_office, duplicate_reason="")
    html = client.post(reverse("partners:create"), data).content.decode()
    assert "Say why this is a different partner" in html
    assert 'href="#id_duplicate_reason"' in html
    assert Partner.objects.count() == 1

    data["duplicate_reason"] = "A separate company: different EIN, same founder"
    response = client.post(reverse("partners:create"), data)
    created = Partner.objects.get(legal_name="ACME Imports, LLC")
    assert response.url == reverse("partners:detail", args=[created.pk])
    reasons = set(AuditEvent.objects.values_list("reason", flat=True))
    assert any("A separate company: different EIN, same founder" in r for r in reasons)
    assert any("Acme Imports Inc." in r for r in reasons)


def test_another_country_or_entity_type_is_no_duplicate(client, specialist):
    acme(specialist.field_office, country="CA")
    PartnerFactory(
        field_office=specialist.field_office, legal_name="Acme Imports", entity_type="importer"
    )
    response = client.post(reverse("partners:create"), payload(specialist.field_office))
    assert response.status_code == 302


def test_a_known_identifier_links_to_its_partner(client, specialist):
    other = PartnerFactory(field_office=specialist.field_office, legal_name="First Owner")
    IdentifierFactory(partner=other, kind="scac", value="NPCX")
    html = client.post(
        reverse("partners:create"), create_payload(specialist.field_office)
    ).content.decode()
    assert "This partner may already be in the program" in html
    assert reverse("partners:detail", args=[other.pk]) in html


def test_a_duplicate_in_another_office_is_counted_not_named(client, specialist):
    acme(FieldOfficeFactory(), city="Secret City")
    html = client.post(
        reverse("partners:create"), payload(specialist.field_office)
    ).content.decode()
    assert "One likely duplicate belongs to another field office" in html
    assert "Secret City" not in html and "Acme Imports Inc." not in html


def test_trigram_similarity_finds_close_names_on_postgresql(postgresql):
    office = FieldOfficeFactory()
    existing = acme(office)
    PartnerFactory(
        field_office=office,
        legal_name="Zenith Freight",
        country="US",
        entity_type="highway_carrier",
        highway_border="us_canada",
    )
    user = UserFactory(administrator=True)
    found = likely_duplicates(
        user=user,
        legal_name="Acme Import Incorporated",  # not the same normalized name
        country="US",
        entity_type="highway_carrier",
    )
    assert found.partners == [existing]
    assert normalized_name("Acme Import Incorporated") != normalized_name(existing.legal_name)
