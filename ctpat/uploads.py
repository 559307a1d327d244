"""The one upload path for every document the site keeps.

A file is judged by its content (magic bytes and, for Office files, the package's
parts), never by its name or the browser's content type; its name must also agree
with what it is. Its structure is checked too: a PDF must parse (pypdf) and carry no
encryption, JavaScript, automatic actions or embedded files; an Office package's entry
count, inflated size and compression ratio are bounded from its central directory before
any part is read; a file that is also a ZIP archive without being an Office file (a
polyglot) is refused. A name with control characters, a path, invisible characters or a
program's extension hidden inside it is refused with a message, not quietly cleaned.
Size is limited while the request is received (UploadLimitHandler), before anything is
kept. Files are stored through Django's storage API under a generated name, with their
SHA-256, and never overwritten; the person's file name is kept, cleaned, for display
only. A kept file is scanned (ctpat.scanning) before anyone else may download it.
Serving goes through `file_response` (or `document_response` for a kept document),
which the owning object's view calls after checking access.
"""

import contextlib
import hashlib
import io
import re
import struct
import unicodedata
import uuid
import weakref
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import models
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

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
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Extensions of programs and scripts Windows, macOS or a shell would run: a name such as
# policy.exe.pdf shows a document's extension while naming a program (a classic lure).
EXECUTABLE_EXTENSIONS = frozenset(
    {
        "app", "apk", "appx", "bat", "bin", "cmd", "com", "cpl", "dll", "dmg", "exe", "gadget",
        "hta", "inf", "ins", "isp", "jar", "js", "jse", "lnk", "msc", "msi", "msix", "msp",
        "pif", "pkg", "ps1", "ps2", "psm1", "py", "reg", "run", "scf", "scr", "sct", "sh",
        "shb", "sys", "url", "vb", "vbe", "vbs", "ws", "wsc", "wsf", "wsh",
    }
)  # fmt: skip
# PDF dictionary keys and action types that make a reader run something or carry a file.
# /XFA: an XML form whose scripts run in the reader; /AA: actions on open, close, focus...
PDF_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/XFA"})
# Actions refused wherever they are, clicked or not: they run code, fetch or open another
# file (a UNC path in /GoToR leaks a Windows user's credentials), send the form, or play
# media through a plug-in. A link to a web page (/URI) is allowed when someone clicks it.
PDF_SCRIPT_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/ImportData",
        "/RichMediaExecute",
        "/GoToR",
        "/GoToE",
        "/SubmitForm",
        "/Rendition",
        "/Sound",
        "/Movie",
    }
)
# Annotations that embed media or run through a plug-in.
PDF_SCRIPT_ANNOTATIONS = frozenset({"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})
PDF_FILE_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
PDF_MAX_OBJECTS = 200_000  # a walk of more objects than this is refused, not waited on


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
    name = "".join(c for c in INVISIBLE.sub("", name) if unicodedata.category(c) != "Cf")
    name = re.sub(r"[\x00-\x1f\x7f]", "", name)
    name = PurePosixPath(name.replace("\\", "/")).name.strip().lstrip(".")
    if not name:
        return "document"
    stem, dot, extension = name.rpartition(".")
    if not dot:
        return name[:MAX_NAME]
    return stem[: MAX_NAME - len(extension) - 1] + "." + extension[:10]


def check_name(raw: str) -> str:
    """The clean display name of `raw`, or DomainError saying what is wrong with the name.

    Refused rather than cleaned, so the person knows: control characters (NUL included),
    a path (/ or \\), invisible or direction-changing characters, and a program's
    extension before the document's (policy.exe.pdf). Django's multipart parser already
    drops a path and unprintable characters from names sent by a browser; this catches
    what it keeps and every name given otherwise.
    """
    shown = clean_name(raw)
    if CONTROL.search(raw or ""):
        raise DomainError(
            _("The name of %(name)s contains control characters; rename the file.")
            % {"name": shown}
        )
    if "/" in raw or "\\" in raw:
        raise DomainError(
            _("The name of %(name)s contains a folder path (/ or \\); send the file alone.")
            % {"name": shown}
        )
    # Every format character (Unicode category Cf: joiners, soft hyphens, direction marks),
    # not only the well-known ones: each can hide a letter of the extension.
    if INVISIBLE.search(raw) or any(unicodedata.category(c) == "Cf" for c in raw):
        raise DomainError(
            _(
                "The name of %(name)s contains invisible or direction-changing characters "
                "that can disguise it; rename the file."
            )
            % {"name": shown}
        )
    parts = unicodedata.normalize("NFKC", raw).strip().lower().split(".")
    hidden = [part for part in parts[1:-1] if part.strip() in EXECUTABLE_EXTENSIONS]
    if hidden:
        raise DomainError(
            _(
                "The name of %(name)s hides a program's extension (.%(extension)s) before the "
                "document's; rename the file with only its document extension."
            )
            % {"name": shown, "extension": hidden[0].strip()}
        )
    return shown


def sniff(file) -> str | None:
    """What the file is, from its first bytes (and its parts for Office files).

    An Office package's bounds (check_package) are checked before its parts are listed."""
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
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" in parts:
            if "word/document.xml" in parts:
                return "docx"
            if "xl/workbook.xml" in parts:
                return "xlsx"
    return None


def _central_directory_entries(file) -> int | None:
    """The entry count a ZIP's end record declares, read from its last bytes alone (so a
    central directory of millions of entries is never loaded); None if there is none."""
    size = file.size
    tail_size = min(size, 22 + 65_535)  # the end record and the longest comment
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    file.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    _, _, _, _, total, _, _, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
    return total


def check_package(file, name: str) -> None:
    """Refuse a ZIP-based Office file that would inflate beyond the bounds, from its central
    directory's declared sizes, before any part is read (a zip bomb)."""
    most_entries = settings.UPLOAD_ZIP_MAX_ENTRIES
    entries = _central_directory_entries(file)
    if entries is None:
        return  # not a ZIP after all: sniff finds it is no Office file
    # 0xFFFF: a ZIP64 count follows elsewhere; no Office file of this size needs one.
    if entries > most_entries or entries == 0xFFFF:
        raise DomainError(
            _("%(name)s holds more than %(count)s parts; it is refused as a possible zip bomb.")
            % {"name": name, "count": f"{most_entries:,}"}
        )
    try:
        with zipfile.ZipFile(file) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        return  # damaged: sniff finds it is no Office file
    finally:
        file.seek(0)
    if len(infos) > most_entries:
        raise DomainError(
            _("%(name)s holds more than %(count)s parts; it is refused as a possible zip bomb.")
            % {"name": name, "count": f"{most_entries:,}"}
        )
    inflated = sum(info.file_size for info in infos)
    most_bytes = settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES
    if inflated > most_bytes:
        raise DomainError(
            _(
                "%(name)s would inflate to %(size)s, more than the %(limit)s an Office file may "
                "hold; it is refused as a possible zip bomb."
            )
            % {"name": name, "size": describe_size(inflated), "limit": describe_size(most_bytes)}
        )
    ratio = inflated / max(file.size, 1)
    if ratio > settings.UPLOAD_ZIP_MAX_RATIO:
        raise DomainError(
            _(
                "%(name)s inflates %(ratio)s times its size, more than the %(limit)s times an "
                "Office file may; it is refused as a possible zip bomb."
            )
            % {"name": name, "ratio": f"{ratio:,.0f}", "limit": settings.UPLOAD_ZIP_MAX_RATIO}
        )


def check_pdf(file, name: str) -> None:
    """Refuse a PDF that does not parse, is encrypted, or carries JavaScript, automatic
    actions or embedded files (found by walking every object reachable from its trailer,
    so an escaped name such as /J#53 is seen as /JS)."""
    from pypdf import PdfReader  # lazy: pypdf costs start-up time for every process

    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if not encrypted:
            pages = len(reader.pages)
            problem = None if pages else "no pages"
            problem = problem or _pdf_active_content(reader)
    # pypdf raises many kinds of errors on a damaged or hostile file (PdfReadError, but also
    # ValueError, KeyError, RecursionError, ...): every one means "cannot be read".
    except Exception:
        raise DomainError(
            _("%(name)s cannot be read as a PDF: it is damaged, incomplete or not really a PDF.")
            % {"name": name}
        ) from None
    if encrypted:
        raise DomainError(
            _("%(name)s is encrypted or password-protected; save it without protection.")
            % {"name": name}
        )
    if problem == "no pages":
        raise DomainError(_("%(name)s is a PDF without pages.") % {"name": name})
    if problem == "script":
        raise DomainError(
            _(
                "%(name)s contains JavaScript or actions that run when it is opened; save or "
                "print it to a plain PDF without them."
            )
            % {"name": name}
        )
    if problem == "file":
        raise DomainError(
            _(
                "%(name)s carries embedded files or attachments; send each document as a "
                "file of its own."
            )
            % {"name": name}
        )


def _pdf_active_content(reader) -> str | None:
    """ "script", "file" or None: what the PDF's reachable objects carry that is refused."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    walked = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        walked += 1
        if walked > PDF_MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(node, DictionaryObject):  # a stream's dictionary too
            keys = set(node.keys())
            if (
                keys & PDF_SCRIPT_KEYS
                or node.get("/S") in PDF_SCRIPT_ACTIONS
                or node.get("/Subtype") in PDF_SCRIPT_ANNOTATIONS
            ):
                return "script"
            if "/OpenAction" in keys:
                # On opening, only a jump within the document (a page, or a /GoTo action).
                given = node["/OpenAction"]
                opening = given.get_object() if isinstance(given, IndirectObject) else given
                if isinstance(opening, DictionaryObject) and opening.get("/S") != "/GoTo":
                    return "script"
            if (
                keys & PDF_FILE_KEYS
                or node.get("/Type") == "/EmbeddedFile"
                or node.get("/Subtype") == "/FileAttachment"
            ):
                return "file"
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
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


# A file already judged is not parsed again (the form, the service and `store` each ask).
_judged: "weakref.WeakKeyDictionary[Any, tuple[str, str]]" = weakref.WeakKeyDictionary()


def check(file) -> tuple[str, str]:
    """(kind, clean display name) of an uploaded file, or DomainError saying what is wrong."""
    if file is None:
        raise DomainError("Choose a file to upload.")
    with contextlib.suppress(TypeError):  # an object that cannot be weakly referenced
        if file in _judged:
            return _judged[file]
    name = check_name(file.name or "")
    if file.size == 0:
        raise DomainError(f"{name} is empty (0 bytes).")
    if file.size > max_bytes():
        raise DomainError(f"{name} is larger than the {describe_size(max_bytes())} limit.")
    if _head(file).startswith(b"PK\x03\x04"):
        check_package(file, name)
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
    if kind not in ("docx", "xlsx") and _is_zip(file):
        raise DomainError(
            _(
                "%(name)s is a %(kind)s file that is also a ZIP archive (a polyglot); save it "
                "again as a plain %(kind)s."
            )
            % {"name": name, "kind": kind.upper()}
        )
    if kind == "pdf":
        check_pdf(file, name)
    with contextlib.suppress(TypeError):
        _judged[file] = (kind, name)
    return kind, name


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    return head


def _is_zip(file) -> bool:
    try:
        return zipfile.is_zipfile(file)
    finally:
        file.seek(0)


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


@contextlib.contextmanager
def storing() -> Iterator[Callable[..., StoredFile]]:
    """Keep files for a change that may still fail: `keep(file, folder=...)` stores one, and
    every file kept inside the block is deleted again if the block raises, so a refused or
    rolled-back upload leaves nothing on disk. Enter it outside the change's transaction:

        with uploads.storing() as keep, transaction.atomic():
            stored = keep(file, folder="...")
    """
    kept: list[str] = []

    def keep(file, *, folder: str) -> StoredFile:
        stored = store(file, folder=folder)
        kept.append(stored.stored_name)
        return stored

    try:
        yield keep
    except BaseException:
        for stored_name in kept:
            default_storage.delete(stored_name)
        raise


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


def document_response(document) -> FileResponse:
    """Serve a kept document (a ctpat.models.StoredDocument) as a download, if its scan
    allows: one being scanned or quarantined is not found. Callers check access first."""
    if not document.is_downloadable:
        raise Http404
    return file_response(
        document.stored_name, document.original_name, document.content_type, owner=document
    )


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
            # The reason replaces "This field is required.", which is all the field knows.
            self.errors.pop(self.upload_field, None)
            self.add_error(
                self.upload_field,
                _("%(name)s is larger than the %(limit)s limit.")
                % {"name": clean_name(too_large), "limit": describe_size(max_bytes())},
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
