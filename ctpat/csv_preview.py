"""The mechanics every "preview, then import all or nothing" CSV import shares.

Reading: size and row limits, UTF-8, the exact header, every row's cells trimmed.
Between preview and import the rows travel signed (they cannot be altered) with a
one-time token (the app records it so a second click imports nothing) and expire
after an hour. What a row must contain is each app's business.
"""

import csv
import io
import uuid
from dataclasses import dataclass, field

from django import forms
from django.core import signing
from django.utils.translation import gettext, gettext_lazy

from .errors import DomainError
from .uploads import UploadFormMixin, clean_name, describe_size

MAX_AGE_SECONDS = 60 * 60


class CsvUploadForm(UploadFormMixin, forms.Form):
    """The upload step of every CSV import page (ctpat.pages.csv_import_page). A file over
    the upload limit, dropped while it was received, is named with the limit (the mixin)."""

    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, with the header row shown below."),
    )


@dataclass
class RowResult:
    line: int
    values: dict
    errors: list = field(default_factory=list)
    cleaned: object = None


@dataclass
class Preview:
    rows: list
    payload: str = ""

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.error_count == 0


def read_rows(upload, header: list[str], *, max_bytes: int = 1_000_000, max_rows: int = 5_000):
    """The rows of an uploaded CSV as dicts, or DomainError saying what is wrong with the file."""
    if upload.size > max_bytes:
        raise DomainError(
            gettext("%(name)s is larger than the %(limit)s limit; split it.")
            % {"name": clean_name(upload.name), "limit": describe_size(max_bytes)}
        )
    raw = upload.read()
    if b"\x00" in raw[:4096]:
        raise DomainError("This is not a CSV file (it contains binary data).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError('The file is not UTF-8 text. Save it as "CSV UTF-8".') from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    if not columns:
        raise DomainError("The file is empty.")
    missing = [c for c in header if c not in columns]
    unexpected = [c for c in columns if c not in header]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append("missing columns: " + ", ".join(missing))
        if unexpected:
            parts.append("unexpected columns: " + ", ".join(unexpected))
        raise DomainError("The header row does not match the template (" + "; ".join(parts) + ").")
    rows: list[dict[str, str]] = []
    try:
        for row in reader:
            if len(rows) >= max_rows:
                raise DomainError(f"The file has more than {max_rows} rows; split it.")
            if None in row:
                raise DomainError(
                    f"Line {reader.line_num} has more cells than the header has columns."
                )
            rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items()})
    except csv.Error as error:
        raise DomainError(f"The file is not valid CSV: {error}.") from None
    if not rows:
        raise DomainError("The file has a header but no rows.")
    return rows


def sign_rows(rows: list[dict], salt: str) -> str:
    return signing.dumps({"token": uuid.uuid4().hex, "rows": rows}, salt=salt, compress=True)


def unsign_rows(signed: str, salt: str) -> tuple[str, list[dict]]:
    """(token, rows) of a preview, or DomainError if it is too old or was altered."""
    try:
        payload = signing.loads(signed, salt=salt, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise DomainError("The preview is more than an hour old; upload the file again.") from None
    except signing.BadSignature:
        raise DomainError(
            "The preview was altered or is not valid; upload the file again."
        ) from None
    return payload["token"], payload["rows"]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip().startswith(FORMULA_START) else text
