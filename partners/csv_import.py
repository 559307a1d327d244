"""CSV import and export of partners.

Import is two steps. The upload is checked row by row and shown as a preview with
every row's errors; nothing is saved. Only when no row fails does the preview offer
"Import", which posts the rows back signed (so they cannot be altered in between),
checks them again, and creates every partner in one transaction: all or nothing.
A one-time token in the signed rows (recorded like any form's, accounts.once) makes a
second click on "Import" harmless.
"""

from django.db import IntegrityError, transaction

from accounts.choices import Role
from accounts.models import FieldOffice, FormSubmission, User, normalize_email
from ctpat.csv_preview import (
    Preview,
    RowResult,
    read_rows,
    sign_rows,
    spreadsheet_safe,
    unsign_rows,
)
from ctpat.errors import DomainError

from .choices import EntityType, IdentifierKind
from .forms import IdentifierForm, PartnerApplicationForm
from .services import partner_create

IMPORT_HEADER = [
    "legal_name",
    "dba_name",
    "entity_type",
    "highway_border",
    "street",
    "city",
    "region",
    "postal_code",
    "country",
    "field_office",
    "specialist_email",
    "security_applied_on",
    "identifiers",
]
EXPORT_HEADER = [
    "account_number",
    "legal_name",
    "dba_name",
    "entity_type",
    "highway_border",
    "country",
    "city",
    "field_office",
    "specialist",
    "security_status",
    "security_tier",
    "trade_compliance_status",
    "identifiers",
]
MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
SALT = "partners.csv_import"


def _entity_type(value: str) -> str:
    lookup = {c.lower(): c for c in EntityType.values} | {
        label.lower(): code for code, label in EntityType.choices
    }
    return lookup.get(value.lower(), value)


def _check_rows(raw_rows: list[dict], user) -> list[RowResult]:
    offices = {o.code: o.pk for o in FieldOffice.objects.all()}
    specialists = {u.email: u.pk for u in User.objects.filter(role=Role.SPECIALIST, is_active=True)}
    results, seen_identifiers, seen_names = [], {}, {}
    for number, values in enumerate(raw_rows, start=2):  # line 1 is the header
        result = RowResult(line=number, values=values)
        data = {k: values.get(k, "") for k in IMPORT_HEADER}
        form_data = {
            **data,
            "entity_type": _entity_type(data["entity_type"]),
            "field_office": offices.get(data["field_office"], ""),
            "specialist": specialists.get(normalize_email(data["specialist_email"]), ""),
            "applied_on": data["security_applied_on"],
            "country": data["country"].upper(),
        }
        if data["field_office"] and data["field_office"] not in offices:
            result.errors.append(
                f"field_office: no field office has the code {data['field_office']!r}."
            )
        if data["specialist_email"] and not form_data["specialist"]:
            result.errors.append(
                f"specialist_email: {data['specialist_email']} is not an active specialist."
            )
        form = PartnerApplicationForm(form_data, user=user)
        if not form.is_valid():
            for name, errors in form.errors.items():
                column = {
                    "applied_on": "security_applied_on",
                    "specialist": "specialist_email",
                }.get(name, name)
                if name in ("field_office", "specialist") and any(
                    e.startswith(column) for e in result.errors
                ):
                    continue
                result.errors += [f"{column}: {e}" if name != "__all__" else e for e in errors]
        for item in filter(None, (part.strip() for part in data["identifiers"].split(";"))):
            kind, _, value = item.partition(":")
            kind = kind.strip().lower()
            if kind not in IdentifierKind.values:
                result.errors.append(
                    f"identifiers: {kind!r} is not an identifier type "
                    f"({', '.join(IdentifierKind.values)})."
                )
                continue
            identifier = IdentifierForm({"kind": kind, "value": value}, user=user)
            if not identifier.is_valid():
                result.errors += [f"identifiers: {e}" for e in identifier.errors.get("value", [])]
                result.errors += [f"identifiers: {e}" for e in identifier.non_field_errors()]
                continue
            key = (kind, identifier.cleaned_data["value"])
            if key in seen_identifiers:
                result.errors.append(
                    f"identifiers: {kind.upper()} {key[1]} is also on line {seen_identifiers[key]}."
                )
            seen_identifiers.setdefault(key, number)
        name = data["legal_name"].lower()
        if name and name in seen_names:
            result.errors.append(
                f"legal_name: the same company is also on line {seen_names[name]}."
            )
        seen_names.setdefault(name, number)
        result.cleaned = form
        results.append(result)
    return results


def parse_upload(upload, *, user) -> Preview:
    """Check every row of an uploaded CSV; sign the rows for import only if all pass."""
    rows = read_rows(upload, IMPORT_HEADER, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    preview = Preview(rows=_check_rows(rows, user))
    if preview.ok:
        preview.payload = sign_rows(rows, SALT)
    return preview


def import_partners(*, actor, signed: str) -> list:
    """Create every partner of a previewed file, or none."""
    token, rows = unsign_rows(signed, SALT)
    done = FormSubmission.objects.filter(token=token).select_related("user").first()
    if done is not None:
        raise DomainError(
            f"This file was already imported by {done.user}; nothing was imported again."
        )
    results = _check_rows(rows, actor)
    if any(r.errors for r in results):
        raise DomainError(
            "Something changed since the preview and some rows now fail; upload the file again "
            "to see which."
        )
    created = []
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=actor)
            for result in results:
                data = result.cleaned.cleaned_data
                identifiers = [
                    tuple(part.strip().split(":", 1))
                    for part in result.values["identifiers"].split(";")
                    if part.strip()
                ]
                created.append(
                    partner_create(
                        actor=actor,
                        data=data,
                        identifiers=[(k.strip().lower(), v.strip()) for k, v in identifiers],
                        applied_on=data["applied_on"],
                        reason="Imported from CSV",
                    )
                )
    except IntegrityError:
        raise DomainError("This file was already imported.") from None
    return created


def export_row(partner) -> list:
    return [spreadsheet_safe(cell) for cell in _export_cells(partner)]


def _export_cells(partner) -> list:
    return [
        partner.account_number,
        partner.legal_name,
        partner.dba_name,
        partner.entity_type,
        partner.highway_border,
        partner.country.code,
        partner.city,
        partner.field_office.code,
        partner.specialist.email if partner.specialist else "",
        partner.security_status,
        partner.security_tier or "",
        partner.trade_compliance_status,
        "; ".join(f"{i.kind}:{i.value}" for i in partner.identifiers.all()),
    ]
