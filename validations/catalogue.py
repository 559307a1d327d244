"""The Minimum Security Criteria catalogue and the standard document requests, as data.

Texts are written in plain words for this application; the IDs, levels and dates are
the program's (DOMAIN.md). Loaded by a data migration (and again by the demo loader and
tests that empty the database); administrators add and change the rest in the admin.
`load` takes a model getter so the migration can pass its historical models.
"""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

FOCUS_AREAS = {
    1: "Corporate Security",
    2: "Transportation Security",
    3: "People and Physical Security",
}
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
    "us_importer",
    "ca_importer",
    "exporter",
    "customs_broker",
    "consolidator",
    "mpto",
    "air_carrier",
    "sea_carrier",
    "rail_carrier",
    "highway_carrier",
    "mx_long_haul_carrier",
    "third_party_logistics",
    "foreign_manufacturer",
]


def entity_types(value):
    return ENTITY_TYPES if value == "all" else value.split(";")


def load(get_model) -> None:
    """Create what is missing of the catalogue; safe to run again."""
    FocusArea = get_model("validations", "FocusArea")
    Category = get_model("validations", "Category")
    Criterion = get_model("validations", "Criterion")
    Version = get_model("validations", "CriterionVersion")
    Applicability = get_model("validations", "CriterionApplicability")
    Template = get_model("validations", "DocumentRequestTemplate")
    areas = {
        n: FocusArea.objects.get_or_create(number=n, defaults={"name": name})[0]
        for n, name in FOCUS_AREAS.items()
    }
    categories = {
        n: Category.objects.get_or_create(
            number=n, defaults={"name": name, "focus_area": areas[area]}
        )[0]
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
            Version.objects.get_or_create(
                criterion=criterion,
                effective_from=row["effective_from"],
                defaults={"level": row["level"], "text": row["text"], "guidance": row["guidance"]},
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
