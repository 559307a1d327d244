"""The hostile files every upload form must survive, each built in code (no binary blobs).

Each entry says what ctpat.uploads.check() answers (`refused`: a part of the message) and
what happens through a real form (`through_form`: the message, if it differs because
Django's multipart parser already changed the name, or QUARANTINED for a file only the
virus scan can catch). tests/uploads/test_corpus.py posts every entry to every upload form.
"""

import functools
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

QUARANTINED = "quarantined"
KEPT_AS = "kept as "  # through a form: kept, under this cleaned name

# EICAR's anti-virus test file, put together here so that no file of the project holds it
# whole (a scanner on a developer's machine would flag the repository).
EICAR = b"".join(
    [b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$", b"EICAR-STANDARD-", b"ANTIVIRUS-TEST-FILE!", b"$H+H*"]
)
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 112


@dataclass(frozen=True)
class Hostile:
    key: str
    name: str
    build: Callable[[], bytes]
    refused: str  # part of check()'s message; "" when check() accepts it (EICAR)
    through_form: str = ""  # part of the form's message, or QUARANTINED; "" = `refused`

    @property
    def content(self) -> bytes:
        return self.build()

    @property
    def form_outcome(self) -> str:
        return self.through_form or self.refused


@functools.cache
def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    return _written(writer)


def _written(writer) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF of the given objects (1 0 obj first, the catalog), with a correct xref table,
    for structures pypdf's writer will not make (an escaped /J#53 name, an annotation)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] %s >>"


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("secret", algorithm="RC4-128")  # RC4 needs no crypto library
    return _written(writer)


def javascript_pdf() -> bytes:
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_open_action(JavaScript("app.alert('hello');"))
    return _written(writer)


def escaped_javascript_pdf() -> bytes:
    """/OpenAction with /J#53: the escaped spelling of /JS, which a byte search misses."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /J#53 (app.alert(1)) >> >>",
        PAGES,
        PAGE % b"",
    )


def page_action_pdf() -> bytes:
    """A page with an additional action (/AA) that runs when the page opens."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        PAGES,
        PAGE % b"/AA << /O << /S /Launch /F (calc.exe) >> >>",
    )


def xfa_pdf() -> bytes:
    """An XML form (XFA): its scripts run in the reader when the file opens."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>",
        PAGES,
        PAGE % b"",
        b"<< /Length 0 >>\nstream\n\nendstream",
    )


def open_uri_pdf() -> bytes:
    """Opening the file sends the reader to a web address."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /URI /URI (http://x.example) >> >>",
        PAGES,
        PAGE % b"",
    )


def remote_goto_pdf() -> bytes:
    """A link to a file on a Windows share: following it sends the user's credentials."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        PAGES,
        PAGE % b"/Annots [4 0 R]",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] "
        b"/A << /S /GoToR /F (\\\\evil\\share\\x.pdf) /D [0 /Fit] >> >>",
    )


def embedded_file_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_attachment("payload.exe", EXECUTABLE)
    return _written(writer)


def attachment_annotation_pdf() -> bytes:
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        PAGES,
        PAGE % b"/Annots [4 0 R]",
        b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS (a.exe) >>",
    )


def package(parts: dict[str, bytes | str], *, kind: str = "docx") -> bytes:
    """A Word (or Excel) package holding `parts` besides the parts that make it one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zip_file:
        zip_file.writestr("[Content_Types].xml", "<Types/>")
        main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
        zip_file.writestr(main, parts.pop(main, "<document/>"))
        for name, data in parts.items():
            zip_file.writestr(name, data)
    return buffer.getvalue()


def _zeros_package(megabytes: int) -> bytes:
    """A DOCX whose document part inflates to `megabytes` MB of zeros (written a megabyte at
    a time, so building it never holds the inflated size in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zip_file:
        zip_file.writestr("[Content_Types].xml", "<Types/>")
        with zip_file.open("word/document.xml", "w") as part:
            block = b"\0" * 1_000_000
            for _ in range(megabytes):
                part.write(block)
    return buffer.getvalue()


@functools.cache
def zip_bomb() -> bytes:
    return _zeros_package(300)


@functools.cache
def high_ratio_package() -> bytes:
    return _zeros_package(50)  # under the size bound, about a thousand times its size


@functools.cache
def many_parts_package() -> bytes:
    return package({f"word/media/part{i}.xml": "" for i in range(5000)})


def oversize_pdf() -> bytes:
    return blank_pdf() + b"%" + b"0" * settings.UPLOAD_MAX_BYTES


CORPUS = [
    Hostile("exe-as-pdf", "setup.pdf", lambda: EXECUTABLE, "is not a PDF, Word (DOCX)"),
    Hostile("exe-as-docx", "report.docx", lambda: EXECUTABLE, "is not a PDF, Word (DOCX)"),
    Hostile(
        "pdf-with-zip-appended",
        "brochure.pdf",
        lambda: blank_pdf() + package({}),
        "also a ZIP archive (a polyglot)",
    ),
    Hostile(
        "zip-starting-with-pdf",
        "brochure.pdf",
        lambda: b"%PDF-1.7\n" + package({}),
        "also a ZIP archive (a polyglot)",
    ),
    Hostile("zip-bomb-300mb", "plan.docx", zip_bomb, "would inflate to 300 MB"),
    Hostile("zip-many-parts", "plan.docx", many_parts_package, "holds more than 2,000 parts"),
    Hostile("zip-high-ratio", "plan.docx", high_ratio_package, "times its size"),
    Hostile("pdf-header-only", "policy.pdf", lambda: b"%PDF-", "cannot be read as a PDF"),
    Hostile(
        "pdf-header-then-garbage",
        "policy.pdf",
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40,
        "cannot be read as a PDF",
    ),
    Hostile(
        "pdf-truncated",
        "policy.pdf",
        lambda: blank_pdf()[: len(blank_pdf()) // 2],
        "cannot be read as a PDF",
    ),
    Hostile("pdf-encrypted", "policy.pdf", encrypted_pdf, "is encrypted or password-protected"),
    Hostile("pdf-javascript", "policy.pdf", javascript_pdf, "contains JavaScript"),
    Hostile("pdf-escaped-javascript", "policy.pdf", escaped_javascript_pdf, "contains JavaScript"),
    Hostile("pdf-page-action", "policy.pdf", page_action_pdf, "contains JavaScript"),
    Hostile("pdf-embedded-file", "policy.pdf", embedded_file_pdf, "carries embedded files"),
    Hostile("pdf-xfa-form", "policy.pdf", xfa_pdf, "contains JavaScript"),
    Hostile("pdf-opens-a-web-address", "policy.pdf", open_uri_pdf, "contains JavaScript"),
    Hostile("pdf-link-to-a-share", "policy.pdf", remote_goto_pdf, "contains JavaScript"),
    Hostile(
        "pdf-attachment-annotation",
        "policy.pdf",
        attachment_annotation_pdf,
        "carries embedded files",
    ),
    # Django's multipart parser keeps only a name's last path part: the form never sees the
    # path: the file is kept as passwd.pdf, under a generated name, with no path anywhere.
    Hostile(
        "traversal-name",
        "../../etc/passwd.pdf",
        blank_pdf,
        "contains a folder path",
        through_form=KEPT_AS + "passwd.pdf",
    ),
    # The parser drops the NUL; what is left still hides a program's extension.
    Hostile(
        "nul-name",
        "a\x00.exe.pdf",
        blank_pdf,
        "contains control characters",
        through_form="hides a program's extension (.exe)",
    ),
    Hostile("double-extension", "policy.exe.pdf", blank_pdf, "hides a program's extension"),
    Hostile("script-double-extension", "x.js.docx", lambda: package({}), "(.js)"),
    # invoice<RLO>fdp.exe.pdf reads as invoicefdp.exe.pdf... or, shown right to left, as a PDF.
    Hostile(
        "right-to-left-name",
        "invoice\u202efdp.exe.pdf",
        blank_pdf,
        "invisible or direction-changing characters",
        through_form="hides a program's extension (.exe)",
    ),
    # A word joiner and a soft hyphen show nothing: policy.ex\u2060e.pdf reads policy.exe.pdf.
    Hostile(
        "word-joiner-name",
        "policy.ex\u2060e.pdf",
        blank_pdf,
        "invisible or direction-changing characters",
        through_form="hides a program's extension (.exe)",
    ),
    Hostile(
        "soft-hyphen-name",
        "policy.ex\u00ade.pdf",
        blank_pdf,
        "invisible or direction-changing characters",
        through_form="hides a program's extension (.exe)",
    ),
    Hostile(
        "oversize",
        "big.pdf",
        oversize_pdf,
        "is larger than the",
        through_form="is larger than the",
    ),
    Hostile(
        "empty", "empty.pdf", lambda: b"", "is empty", through_form="The submitted file is empty"
    ),
    Hostile("eicar-bare", "eicar.pdf", lambda: EICAR, "is not a PDF, Word (DOCX)"),
    # Well-formed Word file with the test virus as one part: only the scan can catch it.
    Hostile(
        "eicar-in-docx",
        "eicar.docx",
        lambda: package({"word/media/eicar.bin": EICAR}),
        "",
        through_form=QUARANTINED,
    ),
]
