"""The complete criteria catalogue: its data migration, its sources and the README's figures."""

import csv
import re
import shutil
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partners.choices import EntityType
from validations import catalogue
from validations.models import (
    Criterion,
    CriterionApplicability,
    CriterionSource,
    CriterionVersion,
)

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
MIGRATION = "0007_complete_criteria_catalogue"


def run_catalogue_migration():
    """The data migration's own function, with the models as they were at its point."""
    state = MigrationExecutor(connection).loader.project_state(("validations", MIGRATION))
    import_module(f"validations.migrations.{MIGRATION}").load(state.apps, None)


@pytest.fixture
def edited_data(tmp_path, monkeypatch):
    """A copy of the shipped data files that a test may edit, loaded in their place."""
    for name in ("criteria.csv", "criterion_sources.csv", "document_templates.csv"):
        shutil.copy(catalogue.DATA / name, tmp_path / name)
    monkeypatch.setattr(catalogue, "DATA", tmp_path)
    return tmp_path


def edit_criteria(folder, change, *extra):
    path = folder / "criteria.csv"
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    rows = [change(row) for row in rows] + list(extra)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_every_criterion_has_a_category_focus_area_and_a_source_with_a_date():
    versions = CriterionVersion.objects.select_related("criterion__category__focus_area", "source")
    assert versions.count() >= 120
    for version in versions:
        assert version.criterion.category.focus_area.name
        assert version.source is not None and version.source.published_on
    assert set(CriterionSource.objects.values_list("kind", flat=True)) == {
        "booklet",
        "project_reading",
    }


def test_each_entity_type_has_its_own_subset():
    def codes(entity_type):
        return set(
            Criterion.objects.filter(applies_to__entity_type=entity_type).values_list(
                "code", flat=True
            )
        )

    importer, broker, highway = (
        codes("us_importer"),
        codes("customs_broker"),
        codes("highway_carrier"),
    )
    assert len(importer) >= 100
    assert "6.1" in highway and "6.1" in codes("foreign_manufacturer") and "6.1" not in broker
    assert "5.9" in highway and "5.9" not in importer  # the driver's last-stop inspection
    assert broker < importer | highway


def test_the_migration_keeps_a_planned_validation_frozen_and_adds_versions(planned, edited_data):
    judged = {
        f.criterion_version_id: (f.criterion_version.text, f.criterion_version.level)
        for f in planned.findings.select_related("criterion_version")
    }
    # As on a database loaded from the sample: a source never recorded, a seal criterion that
    # applied to every entity type.
    CriterionVersion.objects.filter(criterion__code="1.1").update(source=None)
    sample_seal = Criterion.objects.get(code="6.1")
    CriterionApplicability.objects.create(criterion=sample_seal, entity_type="customs_broker")

    def reworded(row):
        if row["id"] == "1.1":
            return row | {"text": "Different words for the same date", "level": "must"}
        if row["id"] == "5.9":
            return row | {"applies_to": row["applies_to"] + ";us_importer"}
        return row

    correction = {
        "id": "1.1",
        "level": "should",
        "effective_from": "2027-01-01",
        "applies_to": "all",
        "text": "A corrected wording",
        "guidance": "",
        "source": "msc_us_importers_2019",
    }
    edit_criteria(edited_data, reworded, correction)

    run_catalogue_migration()
    versions_after_first_run = CriterionVersion.objects.count()
    run_catalogue_migration()

    assert CriterionVersion.objects.count() == versions_after_first_run
    assert {
        f.criterion_version_id: (f.criterion_version.text, f.criterion_version.level)
        for f in planned.findings.select_related("criterion_version")
    } == judged
    first = CriterionVersion.objects.get(criterion__code="1.1", effective_from="2020-01-01")
    assert first.text != "Different words for the same date" and first.level == "should"
    assert first.source.key == "msc_us_importers_2019"
    assert CriterionVersion.objects.get(
        criterion__code="1.1", effective_from="2027-01-01"
    ).text == ("A corrected wording")
    assert not sample_seal.applies_to.filter(entity_type="customs_broker").exists()
    assert Criterion.objects.get(code="5.9").applies_to.filter(entity_type="us_importer").exists()


def test_the_shipped_file_loads_again_without_changes():
    before = (
        CriterionVersion.objects.count(),
        CriterionApplicability.objects.count(),
        CriterionSource.objects.count(),
    )
    run_catalogue_migration()
    assert before == (
        CriterionVersion.objects.count(),
        CriterionApplicability.objects.count(),
        CriterionSource.objects.count(),
    )


def test_every_row_names_a_known_source_and_a_known_entity_type():
    sources = {row["key"] for row in catalogue.read_sources()}
    for row in catalogue.read_criteria():
        assert row["source"] in sources, row["id"]
        assert set(catalogue.entity_types(row["applies_to"])) <= set(EntityType.values), row["id"]
    covered = [t for row in catalogue.read_sources() for t in row["entity_types"].split(";")]
    assert sorted(covered) == sorted(EntityType.values), "each type's subset has one source"


def test_the_readme_states_how_many_criteria_apply_to_each_entity_type():
    text = README.read_text()
    stated = dict(re.findall(r"^\| [^|]+ \| `(\w+)` \| (\d+) \|", text, flags=re.MULTILINE))
    assert sorted(stated) == sorted(EntityType.values)
    for entity_type, figure in stated.items():
        in_database = Criterion.objects.filter(applies_to__entity_type=entity_type).count()
        assert int(figure) == in_database, entity_type
