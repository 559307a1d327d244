"""The one upload path for every document the site keeps.

A file is judged by its content (magic bytes and, for Office files, the package's
parts), never by its name or the browser's content type; its name must also agree
with what it is. Size is limited while the request is received (UploadLimitHandler),
before anything is kept. Files are stored through Django's storage API under a
generated name, with their SHA-256, and never overwritten; the person's file name is
kept, cleaned, for display only. Serving goes through `file_response`, which the
owning object's view calls after checking access.
"""

import hashlib
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import models
from django.http import FileResponse

from .errors import DomainError
from .signals import file_served

# kind: (extensions the name may have, MIME type served)
KINDS = {
    "pdf": ((".pdf",), "application/pdf"),
    "docx": (
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "png": ((".png",), "image/png"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
}
ACCEPTED_LABEL = "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG"
MAX_NAME = 120
# Characters that change how a name reads without being visible (bidi overrides, ...).
INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def max_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def describe_size(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB" if size >= 1_000_000 else f"{size // 1000} KB"


class UploadLimitHandler(FileUploadHandler):
    """Stops receiving a file as soon as it passes the size limit; nothing of it is kept.

    The request is marked, so the form can say why the file is missing.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_bytes():
            # An attribute HttpRequest does not declare: UploadFormMixin reads it back.
            setattr(self.request, "upload_too_large", self.file_name)  # noqa: B010
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def clean_name(name: str) -> str:
    """The person's file name, safe to show: no path, no control or invisible characters."""
    name = unicodedata.normalize("NFKC", name or "")
    name = INVISIBLE.sub("", name)
    name = re.sub(r"[\x00-\x1f\x7f]", "", name)
    name = PurePosixPath(name.replace("\\", "/")).name.strip().lstrip(".")
    if not name:
        return "document"
    stem, dot, extension = name.rpartition(".")
    if not dot:
        return name[:MAX_NAME]
    return stem[: MAX_NAME - len(extension) - 1] + "." + extension[:10]


def sniff(file) -> str | None:
    """What the file is, from its first bytes (and its parts for Office files)."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as package:
                parts = set(package.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" in parts:
            if "word/document.xml" in parts:
                return "docx"
            if "xl/workbook.xml" in parts:
                return "xlsx"
    return None


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    kind: str
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return KINDS[self.kind][1]


def check(file) -> tuple[str, str]:
    """(kind, clean display name) of an uploaded file, or DomainError saying what is wrong."""
    if file is None:
        raise DomainError("Choose a file to upload.")
    name = clean_name(file.name)
    if file.size == 0:
        raise DomainError(f"{name} is empty (0 bytes).")
    if file.size > max_bytes():
        raise DomainError(f"{name} is larger than the {describe_size(max_bytes())} limit.")
    kind = sniff(file)
    if kind is None:
        raise DomainError(
            f"{name} is not a {ACCEPTED_LABEL} file (judged by its content, not its name)."
        )
    extensions = KINDS[kind][0]
    if not name.lower().endswith(extensions):
        raise DomainError(
            f"{name} is a {kind.upper()} file but its name says otherwise; "
            f"name it {extensions[0]} or choose the right file."
        )
    return kind, name


def store(file, *, folder: str) -> StoredFile:
    """Check and keep an upload under a generated name; returns what to record about it."""
    kind, name = check(file)
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    extension = KINDS[kind][0][0]
    stored = default_storage.save(f"{folder}/{uuid.uuid4().hex}{extension}", file)
    return StoredFile(stored, name, kind, file.size, digest.hexdigest())


def file_response(
    stored_name: str, download_name: str, content_type: str, *, owner: models.Model
) -> FileResponse:
    """Serve a stored file as a download. Callers check access first.

    `owner` is the record the file belongs to (an upload, a report): the download is
    announced with it (ctpat.signals.file_served) for the audit log."""
    response = FileResponse(
        default_storage.open(stored_name, "rb"),
        as_attachment=True,
        filename=download_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Once the file opened: what is recorded is a file that was handed over.
    file_served.send(
        sender=type(owner), owner=owner, stored_name=stored_name, download_name=download_name
    )
    return response


def sha256_of(stored_name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(stored_name, "rb") as stored:
        for chunk in stored.chunks():
            digest.update(chunk)
    return digest.hexdigest()


if TYPE_CHECKING:  # the mixin is only ever mixed into a form, before it
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class UploadFormMixin(_FormBase):
    """For forms with a file field: says so when the file was dropped for its size.

    UploadLimitHandler drops an oversized file while receiving it; the form then has no
    file, and this puts the reason on the file field. Pass `request=` to the form.
    """

    upload_field = "file"

    def __init__(self, *args, request=None, **kwargs):
        self.http_request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        too_large = getattr(self.http_request, "upload_too_large", None)
        if too_large:
            self.add_error(
                self.upload_field,
                f"{clean_name(too_large)} is larger than the {describe_size(max_bytes())} limit.",
            )
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files in one field (Django's documented way to allow several)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else single(data, initial)
