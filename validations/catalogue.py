"""The Minimum Security Criteria catalogue and the standard document requests, as data.

data/criteria.csv holds one row per criterion version: its ID (category.number; the
category, and through it the focus area, follow from the ID), level, effective date, the
entity types it applies to, a short text and guidance written in our own words (never the
booklets' sentences), and its source, a key of data/criterion_sources.csv (CBP's booklet, or
the project's reading where no booklet for an entity type was found; README "Criteria
catalogue"). Loaded by data migrations (and again by the demo loader and tests that empty
the database); administrators add versions by CSV import and change the rest in the admin.
`load` takes a model getter so a migration can pass its historical models.
"""

import csv
from datetime import date
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


def read_criteria() -> list[dict[str, str]]:
    with (DATA / "criteria.csv").open(newline="") as rows:
        return list(csv.DictReader(rows))


def read_sources() -> list[dict[str, str]]:
    with (DATA / "criterion_sources.csv").open(newline="") as rows:
        return list(csv.DictReader(rows))


def load(get_model, *, sync_applicability: bool = False) -> None:
    """Create what is missing of the catalogue; safe to run again.

    A version already in the database (same criterion and effective date) is never changed,
    whatever the file says: findings point at it, and a validation keeps the words and level
    it was judged by. A change of wording or level is a new row with a later effective date.
    Only a version's missing `source` is filled in (where it came from, not what it says).

    Applicability is set when a criterion is created. With `sync_applicability` (the data
    migration that brought the complete catalogue) it is also brought in line with the file
    for criteria that exist: it only decides which criteria a validation planned from then on
    receives; the findings of earlier validations keep theirs.
    """
    FocusArea = get_model("validations", "FocusArea")
    Category = get_model("validations", "Category")
    Criterion = get_model("validations", "Criterion")
    Version = get_model("validations", "CriterionVersion")
    Applicability = get_model("validations", "CriterionApplicability")
    Source = get_model("validations", "CriterionSource")
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
    sources = {
        row["key"]: Source.objects.get_or_create(
            key=row["key"],
            defaults={
                "kind": row["kind"],
                "title": row["title"],
                "published_on": date.fromisoformat(row["published_on"]),
                "entity_types": row["entity_types"],
                "note": row["note"],
            },
        )[0]
        for row in read_sources()
    }
    for row in read_criteria():
        category_number, number = (int(part) for part in row["id"].split("."))
        criterion, created = Criterion.objects.get_or_create(
            category=categories[category_number], number=number, code=row["id"]
        )
        if created or sync_applicability:
            wanted = set(entity_types(row["applies_to"]))
            have = set(criterion.applies_to.values_list("entity_type", flat=True))
            criterion.applies_to.exclude(entity_type__in=wanted).delete()
            Applicability.objects.bulk_create(
                Applicability(criterion=criterion, entity_type=t) for t in sorted(wanted - have)
            )
        source = sources[row["source"]] if row.get("source") else None
        version, _ = Version.objects.get_or_create(
            criterion=criterion,
            effective_from=row["effective_from"],
            defaults={
                "level": row["level"],
                "text": row["text"],
                "guidance": row["guidance"],
                "source": source,
            },
        )
        if version.source_id is None and source is not None:
            Version.objects.filter(pk=version.pk).update(source=source)
    load_document_templates(get_model)


def load_document_templates(get_model) -> None:
    Template = get_model("validations", "DocumentRequestTemplate")
    with (DATA / "document_templates.csv").open(newline="") as rows:
        for order, row in enumerate(csv.DictReader(rows)):
            for entity_type in entity_types(row["entity_type"]):
                Template.objects.get_or_create(
                    entity_type=entity_type,
                    kind=row["kind"],
                    name=row["name"],
                    defaults={"description": row["description"], "order": order},
                )
