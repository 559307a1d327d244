"""The shared upload checks, on their own."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctpat import uploads
from ctpat.errors import DomainError
from tests.factories import docx_bytes, pdf_bytes, png_bytes


def f(name, content):
    return SimpleUploadedFile(name, content)


def test_content_decides_the_kind():
    assert uploads.check(f("a.pdf", pdf_bytes()))[0] == "pdf"
    assert uploads.check(f("a.PNG", png_bytes()))[0] == "png"
    assert uploads.check(f("a.docx", docx_bytes()))[0] == "docx"


def test_an_empty_file_is_refused():
    with pytest.raises(DomainError, match="is empty"):
        uploads.check(f("a.pdf", b""))


def test_a_renamed_executable_is_refused():
    with pytest.raises(DomainError, match="not a PDF, Word"):
        uploads.check(f("a.pdf", b"MZ\x90\x00" + b"\x00" * 100))


def test_a_docx_that_is_really_a_pdf_is_refused():
    with pytest.raises(DomainError, match="is a PDF file but its name says otherwise"):
        uploads.check(f("a.docx", pdf_bytes()))


def test_an_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(DomainError, match="larger than"):
        uploads.check(f("a.pdf", pdf_bytes()))


@pytest.mark.parametrize(
    "raw,clean",
    [("../x.pdf", "x.pdf"), ("", "document"), ("...", "document"), ("a\x00b.pdf", "ab.pdf")],
)
def test_names_are_cleaned_for_display(raw, clean):
    assert uploads.clean_name(raw) == clean
