"""CSV import of partner observations and non-member baselines: preview, then all or none.

Each row is checked by the same form as the entry page (ObservationForm, BaselineForm):
no negative counts, no more examinations or holds than shipments, no future month. A
partner is named by its CTPAT account number and must be one the importer may see. A
month already recorded is refused here (corrections go through the entry form, with a
reason). The mechanics are ctpat.csv_preview's, as for partners and criteria.
"""

from django.db import IntegrityError, transaction

from accounts.models import FormSubmission
from ctpat.csv_preview import Preview, RowResult, read_rows, sign_rows, unsign_rows
from ctpat.errors import DomainError
from partners.models import Partner

from .choices import ImportKind
from .forms import FIGURE_FIELDS, BaselineForm, ObservationForm
from .models import Baseline, MetricImport, Observation
from .services import _require_staff, figures_import

OBSERVATION_HEADER = ["account_number", *FIGURE_FIELDS]
BASELINE_HEADER = ["entity_type", *FIGURE_FIELDS]
SALTS = {
    ImportKind.OBSERVATIONS: "benefits.observations_import",
    ImportKind.BASELINES: "benefits.baselines_import",
}
MAX_ROWS = 5_000


def _form_errors(form) -> list[str]:
    return [
        f"{name}: {error}" if name != "__all__" else error
        for name, errors in form.errors.items()
        for error in errors
    ]


def _check_observations(rows: list[dict], user) -> list[RowResult]:
    numbers = {row.get("account_number", "").upper() for row in rows}
    partners = {
        p.account_number: p
        for p in Partner.objects.visible_to(user).filter(account_number__in=numbers)
    }
    recorded = set(
        Observation.objects.filter(partner__in=partners.values()).values_list(
            "partner__account_number", "period"
        )
    )
    results, seen = [], {}
    for line, values in enumerate(rows, start=2):
        result = RowResult(line=line, values=values)
        number = values["account_number"].upper()
        partner = partners.get(number)
        if partner is None:
            result.errors.append(
                f"account_number: no partner you can see has the number {number!r}."
            )
        form = ObservationForm(values)
        if not form.is_valid():
            result.errors += _form_errors(form)
        period = form.cleaned_data.get("period")
        if partner is not None and period:
            if (number, period) in recorded:
                result.errors.append(
                    f"{partner.legal_name} already has figures for {period:%B %Y}; correct them "
                    "on the partner's benefits page."
                )
            if (number, period) in seen:
                result.errors.append(
                    f"The same partner and month are also on line {seen[(number, period)]}."
                )
            seen.setdefault((number, period), line)
        result.cleaned = (partner, form)
        results.append(result)
    return results


def _check_baselines(rows: list[dict], user) -> list[RowResult]:
    recorded = set(Baseline.objects.values_list("entity_type", "period"))
    results, seen = [], {}
    for line, values in enumerate(rows, start=2):
        result = RowResult(line=line, values=values)
        form = BaselineForm(values)
        if not form.is_valid():
            result.errors += _form_errors(form)
        key = (form.cleaned_data.get("entity_type", ""), form.cleaned_data.get("period"))
        if key[1]:
            if key in recorded:
                result.errors.append(f"The baseline of {key[1]:%B %Y} is recorded already.")
            if key in seen:
                result.errors.append(f"The same month and type are also on line {seen[key]}.")
            seen.setdefault(key, line)
        result.cleaned = (None, form)
        results.append(result)
    return results


CHECKS = {ImportKind.OBSERVATIONS: _check_observations, ImportKind.BASELINES: _check_baselines}
HEADERS = {ImportKind.OBSERVATIONS: OBSERVATION_HEADER, ImportKind.BASELINES: BASELINE_HEADER}


def parse_upload(upload, *, kind: str, user) -> Preview:
    """Check every row; sign the rows for import only if all pass."""
    _require_staff(user)
    rows = read_rows(upload, HEADERS[kind], max_rows=MAX_ROWS)
    preview = Preview(rows=CHECKS[kind](rows, user))
    if preview.ok:
        preview.payload = sign_rows(rows, SALTS[kind])
    return preview


def import_figures(*, actor, kind: str, signed: str) -> MetricImport:
    """Import every previewed row, or none; returns the import's record."""
    _require_staff(actor)
    token, rows = unsign_rows(signed, SALTS[kind])
    done = FormSubmission.objects.filter(token=token).select_related("user").first()
    if done is not None:
        raise DomainError(
            f"This file was already imported by {done.user}; nothing was imported again."
        )
    results = CHECKS[kind](rows, actor)
    if any(r.errors for r in results):
        raise DomainError(
            "Something changed since the preview and some rows now fail; upload the file again "
            "to see which."
        )
    sources = sorted({r.cleaned[1].cleaned_data["source"] for r in results})
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=actor)
            return figures_import(
                actor=actor,
                kind=kind,
                source="; ".join(sources),
                items=[(r.cleaned[0], r.cleaned[1].cleaned_data) for r in results],
            )
    except IntegrityError:
        raise DomainError(
            "Some of these months were recorded meanwhile; nothing was imported."
        ) from None
