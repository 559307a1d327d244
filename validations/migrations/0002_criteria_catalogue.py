"""The Minimum Security Criteria catalogue and the standard document requests, as data.

Texts are written in plain words for this application; the IDs, levels and dates are
the program's (DOMAIN.md). Administrators add and change the rest in the admin.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

FOCUS_AREAS = {1: "Corporate Security", 2: "Transportation Security", 3: "People and Physical Security"}
CATEGORIES = [
    (1, "Security Vision and Responsibility", 1),
    (2, "Risk Assessment", 1),
    (3, "Business Partners", 1),
    (4, "Cybersecurity", 1),
    (5, "Conveyance and Instruments of International Traffic Security", 2),
    (6, "Seal Security", 2),
    (7, "Procedural Security", 2),
    (8, "Agricultural Security", 2),
    (9, "Physical Security", 3),
    (10, "Physical Access Controls", 3),
    (11, "Personnel Security", 3),
    (12, "Education, Training and Awareness", 3),
]
ENTITY_TYPES = [
    "us_importer", "ca_importer", "exporter", "customs_broker", "consolidator", "mpto",
    "air_carrier", "sea_carrier", "rail_carrier", "highway_carrier", "mx_long_haul_carrier",
    "third_party_logistics", "foreign_manufacturer",
]  # fmt: skip


def entity_types(value):
    return ENTITY_TYPES if value == "all" else value.split(";")


def load(apps, schema_editor):
    FocusArea = apps.get_model("validations", "FocusArea")
    Category = apps.get_model("validations", "Category")
    Criterion = apps.get_model("validations", "Criterion")
    Version = apps.get_model("validations", "CriterionVersion")
    Applicability = apps.get_model("validations", "CriterionApplicability")
    Template = apps.get_model("validations", "DocumentRequestTemplate")
    areas = {n: FocusArea.objects.create(number=n, name=name) for n, name in FOCUS_AREAS.items()}
    categories = {
        n: Category.objects.create(number=n, name=name, focus_area=areas[area])
        for n, name, area in CATEGORIES
    }
    with (DATA / "criteria.csv").open(newline="") as rows:
        for row in csv.DictReader(rows):
            category_number, number = (int(part) for part in row["id"].split("."))
            criterion, created = Criterion.objects.get_or_create(
                category=categories[category_number], number=number, code=row["id"]
            )
            if created:
                Applicability.objects.bulk_create(
                    Applicability(criterion=criterion, entity_type=t)
                    for t in entity_types(row["applies_to"])
                )
            Version.objects.create(
                criterion=criterion,
                effective_from=row["effective_from"],
                level=row["level"],
                text=row["text"],
                guidance=row["guidance"],
            )
    with (DATA / "document_templates.csv").open(newline="") as rows:
        for order, row in enumerate(csv.DictReader(rows)):
            for entity_type in entity_types(row["entity_type"]):
                Template.objects.get_or_create(
                    entity_type=entity_type,
                    kind=row["kind"],
                    name=row["name"],
                    defaults={"description": row["description"], "order": order},
                )


class Migration(migrations.Migration):
    dependencies = [("validations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
