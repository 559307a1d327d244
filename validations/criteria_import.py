"""CSV import of criteria versions: preview every row's errors, then import all or none.

A row adds a version of a criterion from a date (creating the criterion if it is new).
Versions already in the catalogue are never changed: a validation may be judged by one.
The columns are those of data/criteria.csv, so the shipped catalogue is also a valid
template. `source` names where the row comes from (a key from the sources in the admin);
a file of the earlier six-column form is refused with a message naming the missing column
rather than imported without a source, since every criterion records its source.
"""

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from accounts.models import FormSubmission
from ctpat.csv_preview import Preview, RowResult, read_rows, sign_rows, unsign_rows
from ctpat.errors import DomainError
from partners.choices import EntityType

from .choices import Level
from .models import (
    Category,
    Criterion,
    CriterionApplicability,
    CriterionSource,
    CriterionVersion,
)

HEADER = ["id", "level", "effective_from", "applies_to", "text", "guidance", "source"]
SALT = "validations.criteria_import"


def _check(rows: list[dict]) -> list[RowResult]:
    categories = {c.number: c for c in Category.objects.all()}
    sources = {s.key: s for s in CriterionSource.objects.all()}
    existing_versions = set(
        CriterionVersion.objects.values_list("criterion__code", "effective_from")
    )
    applicability = {}
    for code, entity_type in CriterionApplicability.objects.values_list(
        "criterion__code", "entity_type"
    ):
        applicability.setdefault(code, set()).add(entity_type)
    seen, results = {}, []
    for line, values in enumerate(rows, start=2):
        result = RowResult(line=line, values=values)
        errors = result.errors
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,3})", values["id"])
        if not match or int(match.group(1)) not in categories:
            errors.append(f"id: {values['id']!r} is not category.number with a category 1 to 12.")
        if values["level"] not in Level.values:
            errors.append("level: must or should.")
        try:
            effective = date.fromisoformat(values["effective_from"])
        except ValueError:
            errors.append("effective_from: a date written YYYY-MM-DD.")
            effective = None
        if values["applies_to"] == "all":
            types = set(EntityType.values)
        else:
            types = {t.strip() for t in values["applies_to"].split(";") if t.strip()}
            unknown = types - set(EntityType.values)
            if unknown or not types:
                errors.append(
                    "applies_to: 'all' or entity types separated by ';' "
                    f"({', '.join(EntityType.values)})."
                )
        if values["id"] in applicability and types != applicability[values["id"]]:
            errors.append(
                f"applies_to: {values['id']} already applies to other entity types; change "
                "that in the admin."
            )
        if not values["text"]:
            errors.append("text: the criterion's text is required.")
        if values["source"] not in sources:
            errors.append(
                gettext(
                    "source: %(value)r is not a known source (%(known)s); add new sources "
                    "in the admin."
                )
                % {"value": values["source"], "known": ", ".join(sorted(sources))}
            )
        key = (values["id"], effective)
        if effective and key in existing_versions:
            errors.append(
                f"A version of {values['id']} from {effective} is already in the catalogue; "
                "versions are never changed."
            )
        if effective and key in seen:
            errors.append(f"The same version is also on line {seen[key]}.")
        seen.setdefault(key, line)
        result.cleaned = {
            "types": types,
            "effective": effective,
            "match": match,
            "source": sources.get(values["source"]),
        }
        results.append(result)
    return results


def parse_upload(upload) -> Preview:
    rows = read_rows(upload, HEADER, max_rows=2000)
    preview = Preview(rows=_check(rows))
    if preview.ok:
        preview.payload = sign_rows(rows, SALT)
    return preview


def import_criteria(*, actor, signed: str) -> int:
    """Add every previewed version, or none; returns how many."""
    token, rows = unsign_rows(signed, SALT)
    if FormSubmission.objects.filter(token=token).exists():
        raise DomainError("This file was already imported; nothing was imported again.")
    results = _check(rows)
    if any(r.errors for r in results):
        raise DomainError("The catalogue changed since the preview; upload the file again.")
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=actor)
            for result in results:
                category, number = (int(x) for x in result.cleaned["match"].groups())
                criterion, created = Criterion.objects.get_or_create(
                    category=Category.objects.get(number=category), number=number
                )
                if created:
                    CriterionApplicability.objects.bulk_create(
                        CriterionApplicability(criterion=criterion, entity_type=t)
                        for t in sorted(result.cleaned["types"])
                    )
                CriterionVersion.objects.create(
                    criterion=criterion,
                    effective_from=result.cleaned["effective"],
                    level=result.values["level"],
                    text=result.values["text"],
                    guidance=result.values["guidance"],
                    source=result.cleaned["source"],
                )
    except IntegrityError:
        raise DomainError("This file was already imported; nothing was imported again.") from None
    return len(results)
