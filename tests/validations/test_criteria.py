import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from validations.models import Criterion, CriterionVersion

pytestmark = pytest.mark.django_db

HEADER = "id,level,effective_from,applies_to,text,guidance,source"


def upload(client, *rows):
    content = "\n".join([HEADER, *rows]).encode()
    return client.post(
        reverse("validations:criteria_import"),
        {"file": SimpleUploadedFile("criteria.csv", content, "text/csv")},
    )


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(administrator=True))
    return client


def test_an_administrator_previews_then_imports_new_versions(admin_client):
    preview = upload(
        admin_client,
        '3.9,must,2027-01-01,us_importer;ca_importer;exporter;foreign_manufacturer,"New words",,'
        "msc_us_importers_2019",
        "12.20,should,2027-01-01,all,Drills twice a year,Record attendance,project_reading",
    )
    assert "All 2 rows pass" in preview.content.decode()
    assert not CriterionVersion.objects.filter(effective_from="2027-01-01").exists()
    admin_client.post(
        reverse("validations:criteria_import"),
        {"confirm": "1", "payload": preview.context["preview"].payload},
    )
    assert CriterionVersion.objects.filter(effective_from="2027-01-01").count() == 2
    new = Criterion.objects.get(code="12.20")
    assert new.applies_to.count() == 13


def test_bad_rows_are_listed_and_nothing_is_imported(admin_client):
    response = upload(
        admin_client,
        "3.9,must,2023-01-01,us_importer;ca_importer;exporter;foreign_manufacturer,Again,,"
        "project_reading",
        "13.1,must,2027-01-01,all,No such category,,project_reading",
        "1.1,sometimes,2027-13-01,spaceships,,,nowhere",
    )
    html = response.content.decode()
    assert "3 of 3 rows have errors" in html
    assert "already in the catalogue; versions are never changed" in html
    assert "is not category.number with a category 1 to 12" in html
    assert "level: must or should." in html and "effective_from: a date written YYYY-MM-DD." in html
    assert "source: &#x27;nowhere&#x27; is not a known source" in html
    assert 'name="confirm"' not in html


def test_only_administrators_import_criteria(client):
    client.force_login(UserFactory(supervisor=True))
    assert client.get(reverse("validations:criteria_import")).status_code == 403


def test_staff_read_the_catalogue_in_force_on_a_date(client):
    client.force_login(UserFactory(specialist=True))
    html = client.get(
        reverse("validations:criteria"), {"entity_type": "us_importer", "on": "2022-06-01"}
    ).content.decode()
    assert "forced labor" in html
    assert "2021-10-01" in html or "Oct. 1, 2021" in html


def test_a_file_without_the_source_column_is_refused_naming_it(admin_client):
    content = "\n".join(
        ["id,level,effective_from,applies_to,text,guidance", "12.20,should,2027-01-01,all,Drills,"]
    ).encode()
    response = admin_client.post(
        reverse("validations:criteria_import"),
        {"file": SimpleUploadedFile("criteria.csv", content, "text/csv")},
    )
    assert "missing columns: source" in response.content.decode()
    assert not CriterionVersion.objects.filter(effective_from="2027-01-01").exists()


def test_the_shipped_catalogue_file_is_itself_a_valid_template(admin_client):
    from validations import catalogue

    response = admin_client.post(
        reverse("validations:criteria_import"),
        {
            "file": SimpleUploadedFile(
                "criteria.csv", (catalogue.DATA / "criteria.csv").read_bytes(), "text/csv"
            )
        },
    )
    html = response.content.decode()
    # Every row is already in the catalogue: refused as such, not for its form.
    assert "already in the catalogue; versions are never changed" in html
    assert "missing columns" not in html and "is not a known source" not in html


def test_the_catalogue_page_groups_by_focus_area_and_category(client):
    client.force_login(UserFactory(specialist=True))
    response = client.get(
        reverse("validations:criteria"), {"entity_type": "customs_broker", "on": "2024-06-01"}
    )
    groups = response.context["groups"]
    assert [g["focus_area"].number for g in groups] == [1, 2, 3]
    assert [c["category"].number for c in groups[0]["categories"]] == [1, 2, 3, 4]
    codes = {v.criterion.code for g in groups for c in g["categories"] for v in c["versions"]}
    assert "6.1" not in codes and "4.1" in codes  # no seals for a broker
    html = response.content.decode()
    assert "People and Physical Security" in html and 'data-testid="criteria-source"' in html
    assert "no CBP booklet found" in html


@pytest.mark.parametrize("extra", [0, 12])
def test_the_catalogue_page_query_count_does_not_grow(client, extra, django_assert_num_queries):
    from validations.models import Category, CriterionApplicability

    category = Category.objects.get(number=12)
    for n in range(extra):
        criterion = Criterion.objects.create(category=category, number=50 + n)
        CriterionApplicability.objects.create(criterion=criterion, entity_type="us_importer")
        CriterionVersion.objects.create(
            criterion=criterion, effective_from="2020-01-01", level="should", text=f"Extra {n}"
        )
    client.force_login(UserFactory(specialist=True))
    # The same at both sizes: the criteria and the sources are one query each.
    with django_assert_num_queries(10):
        response = client.get(reverse("validations:criteria"), {"entity_type": "us_importer"})
    assert len(response.context["versions"]) == 113 + extra
