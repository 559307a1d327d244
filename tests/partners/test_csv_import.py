import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import FormSubmission
from partners.csv_import import IMPORT_HEADER
from partners.models import Partner
from tests.factories import IdentifierFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    "Lake Imports LLC,,us_importer,,1 Pier St,Buffalo,NY,14201,US,{office},{email},2026-09-01,"
    "ior:12-345678900; ein:12-3456789",
    "Border Haulers,,Highway carrier,us_canada,2 Route 5,Buffalo,NY,,US,{office},,2026-09-02,"
    "scac:bhlr; dot:555123",
]


@pytest.fixture
def specialist(client):
    user = UserFactory(specialist=True, email="casey@example.gov")
    client.force_login(user)
    return user


HEADER = ",".join(IMPORT_HEADER)


def upload(client, rows, header=HEADER, name="partners.csv"):
    content = "\n".join([header, *rows]).encode()
    return client.post(
        reverse("partners:import"), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def rows_for(user, rows=GOOD_ROWS):
    return [r.format(office=user.field_office.code, email=user.email) for r in rows]


def test_a_clean_file_previews_then_imports_every_row(client, specialist):
    preview = upload(client, rows_for(specialist))
    html = preview.content.decode()
    assert "All 2 rows pass. Nothing is saved yet." in html
    assert not Partner.objects.exists()
    payload = preview.context["preview"].payload
    done = client.post(reverse("partners:import"), {"confirm": "1", "payload": payload})
    assert done.status_code == 302
    assert set(Partner.objects.values_list("legal_name", flat=True)) == {
        "Lake Imports LLC",
        "Border Haulers",
    }
    lake = Partner.objects.get(legal_name="Lake Imports LLC")
    assert lake.specialist == specialist
    assert set(lake.identifiers.values_list("kind", "value")) == {
        ("ior", "12-345678900"),
        ("ein", "12-3456789"),
    }
    assert lake.history.first().history_change_reason == "Imported from CSV"


def test_every_bad_row_is_listed_and_nothing_is_imported(client, specialist):
    other = PartnerFactory(field_office=specialist.field_office, legal_name="Holder Inc.")
    IdentifierFactory(partner=other, kind="scac", value="BHLR")
    bad = rows_for(specialist) + [
        f"No Type Co.,,spaceship,,3 St,Buffalo,,,US,{specialist.field_office.code},,2026-09-03,",
        "Bad Id Co.,,exporter,,4 St,Buffalo,,,US,nowhere,,not-a-date,ein:12",
    ]
    response = upload(client, bad)
    html = response.content.decode()
    assert "3 of 4 rows have errors. Nothing was imported." in html
    assert "already belongs to Holder Inc." in html
    assert "entity_type: Select a valid choice" in html
    assert "field_office: no field office has the code &#x27;nowhere&#x27;" in html
    assert "security_applied_on: Enter a date that exists, as YYYY-MM-DD" in html
    assert "identifiers: An EIN is 9 digits" in html
    assert 'name="confirm"' not in html
    assert Partner.objects.count() == 1


def test_the_same_identifier_twice_in_the_file_is_caught(client, specialist):
    row = rows_for(specialist)[1]
    response = upload(client, [row, row.replace("Border Haulers", "Border Haulers Two")])
    assert "SCAC BHLR is also on line 2" in response.content.decode()


def test_wrong_columns_are_named(client, specialist):
    response = upload(client, ["x,y"], header="name,kind")
    html = response.content.decode()
    assert "The header row does not match the template" in html
    assert "missing columns: legal_name" in html and "unexpected columns: name, kind" in html


def test_a_file_that_is_not_csv_is_refused(client, specialist):
    content = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    response = client.post(
        reverse("partners:import"),
        {"file": SimpleUploadedFile("partners.csv", content, "text/csv")},
    )
    assert "This is not a CSV file" in response.content.decode()


def test_a_second_click_on_import_imports_nothing_more(client, specialist):
    payload = upload(client, rows_for(specialist)).context["preview"].payload
    client.post(reverse("partners:import"), {"confirm": "1", "payload": payload})
    again = client.post(
        reverse("partners:import"), {"confirm": "1", "payload": payload}, follow=True
    )
    assert "This file was already imported" in again.content.decode()
    assert Partner.objects.count() == 2
    assert FormSubmission.objects.count() == 1


def test_a_tampered_preview_is_refused(client, specialist):
    payload = upload(client, rows_for(specialist)).context["preview"].payload
    response = client.post(
        reverse("partners:import"), {"confirm": "1", "payload": payload[:-3] + "xyz"}, follow=True
    )
    assert "The preview was altered or is not valid" in response.content.decode()
    assert not Partner.objects.exists()


def test_rows_that_fail_at_import_time_import_nothing(client, specialist):
    payload = upload(client, rows_for(specialist)).context["preview"].payload
    other = PartnerFactory(field_office=specialist.field_office)
    IdentifierFactory(partner=other, kind="dot", value="555123")  # taken after the preview
    response = client.post(
        reverse("partners:import"), {"confirm": "1", "payload": payload}, follow=True
    )
    assert "Something changed since the preview" in response.content.decode()
    assert Partner.objects.count() == 1
