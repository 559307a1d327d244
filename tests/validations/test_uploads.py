"""Uploads are judged by content, limited in size while received, stored under generated
names with their SHA-256, and served only to those who may see them."""

import hashlib
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import MembershipFactory, docx_bytes, pdf_bytes, png_bytes
from validations import services
from validations.models import DocumentUpload

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(people, planned):
    services.validation_request_documents(validation=planned, actor=people["specialist"])
    return planned.document_requests.first()


def upload(client, request, name, content, content_type="application/octet-stream", token=None):
    url = reverse("validations:request_upload", args=[request.validation_id, request.pk])
    return client.post(
        url,
        {
            "file": SimpleUploadedFile(name, content, content_type),
            "submission": token or str(uuid.uuid4()),
        },
    )


@pytest.fixture
def as_partner(client, people):
    client.force_login(people["partner_user"])
    return client


@pytest.mark.parametrize(
    "name,content",
    [("risk.pdf", pdf_bytes()), ("photo.png", png_bytes()), ("plan.docx", docx_bytes())],
)
def test_accepted_types_are_stored_under_a_generated_name_with_their_hash(
    as_partner, sent, name, content
):
    response = upload(as_partner, sent, name, content)
    assert response.status_code == 302
    stored = DocumentUpload.objects.get()
    assert stored.original_name == name
    assert name not in stored.stored_name and stored.stored_name.startswith("validations/")
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    sent.refresh_from_db()
    assert sent.status == "uploaded"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "is not a PDF, Word (DOCX)"),
        ("report.docx", pdf_bytes(), "is a PDF file but its name says otherwise"),
        ("empty.pdf", b"", "The submitted file is empty."),
        ("fake.xlsx", b"PK\x03\x04not really a zip", "is not a PDF, Word (DOCX)"),
    ],
)
def test_bad_files_get_a_clear_message_and_nothing_is_stored(
    as_partner, sent, name, content, message
):
    response = upload(as_partner, sent, name, content)
    assert message in response.content.decode()
    assert not DocumentUpload.objects.exists()


def test_a_file_over_the_limit_is_refused_while_it_is_received(as_partner, sent, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = upload(as_partner, sent, "big.pdf", pdf_bytes() + b"0" * 5000)
    assert "big.pdf is larger than the 1 KB limit." in response.content.decode()
    assert not DocumentUpload.objects.exists()


@pytest.mark.parametrize(
    "name,shown",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\plan.pdf", "plan.pdf"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_tricky_names_are_kept_only_cleaned_for_display(as_partner, sent, name, shown):
    """Django's multipart parser keeps only the last part of a path a browser sends;
    ctpat.uploads.check_name refuses a path given any other way (tests/ctpat)."""
    upload(as_partner, sent, name, pdf_bytes())
    stored = DocumentUpload.objects.get()
    assert stored.original_name == shown
    assert re.fullmatch(r"validations/\d+/[0-9a-f]{32}\.pdf", stored.stored_name)


@pytest.mark.parametrize(
    "name,message",
    [
        ("policy.exe.pdf", "hides a program's extension (.exe)"),
        # The parser drops the right-to-left override; the hidden .exe is still refused.
        ("invoice\u202efdp.exe.pdf", "hides a program's extension (.exe)"),
        ("x.js.pdf", "hides a program's extension (.js)"),
    ],
)
def test_names_that_hide_a_program_are_refused(as_partner, sent, name, message):
    response = upload(as_partner, sent, name, pdf_bytes())
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not DocumentUpload.objects.exists()


def test_a_double_submit_stores_one_file(as_partner, sent):
    token = str(uuid.uuid4())
    upload(as_partner, sent, "risk.pdf", pdf_bytes(), token=token)
    again = upload(as_partner, sent, "risk.pdf", pdf_bytes(), token=token)
    assert "This form was already submitted" in again.content.decode()
    assert DocumentUpload.objects.count() == 1


def test_an_upload_to_another_partners_request_is_not_found(client, sent):
    client.force_login(MembershipFactory().user)
    response = upload(client, sent, "risk.pdf", pdf_bytes())
    assert response.status_code == 404
    assert not DocumentUpload.objects.exists()


def test_files_are_served_only_to_those_who_may_see_them(
    client, as_partner, sent, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the scan: "not scanned"
        upload(as_partner, sent, "risk.pdf", pdf_bytes())
    stored = DocumentUpload.objects.get()
    url = reverse("validations:upload_download", args=[stored.pk])
    response = as_partner.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="risk.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pdf_bytes()
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404


def test_staff_do_not_upload_for_the_partner(client, people, sent):
    client.force_login(people["specialist"])
    assert upload(client, sent, "risk.pdf", pdf_bytes()).status_code == 403
