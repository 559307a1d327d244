"""Every kept file is scanned by clamd before anyone else may download it (ctpat.scanning)."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ctpat import scanning
from ctpat.models import OutboxMessage, ScanStatus
from tests.factories import MembershipFactory, pdf_bytes
from tests.uploads.corpus import EICAR
from validations import services
from validations.models import DocumentUpload

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(people, planned):
    services.validation_request_documents(validation=planned, actor=people["specialist"])
    return planned.document_requests.first()


def upload(client, people, request, captured, content=None):
    client.force_login(people["partner_user"])
    url = reverse("validations:request_upload", args=[request.validation_id, request.pk])
    file = SimpleUploadedFile("risk.pdf", content or pdf_bytes())
    with captured(execute=True):
        response = client.post(url, {"file": file, "submission": str(uuid.uuid4())})
    assert response.status_code == 302
    return DocumentUpload.objects.get()


def page(client, user, validation):
    client.force_login(user)
    return client.get(reverse("validations:detail", args=[validation.pk])).content.decode()


def test_clamd_answers_ping_and_knows_the_test_signature(scanner):
    assert scanning.ping()
    assert scanning.scan_stream([EICAR]) == scanning.Verdict(
        False, "Eicar-Test-Signature.UNOFFICIAL"
    )
    assert scanning.scan_stream([pdf_bytes()]) == scanning.Verdict(True)


def test_a_clean_file_becomes_available_to_everyone_who_may_see_it(
    client, people, sent, scanner, django_capture_on_commit_callbacks
):
    stored = upload(client, people, sent, django_capture_on_commit_callbacks)
    assert stored.scan_status == ScanStatus.CLEAN and stored.scanned_at
    html = page(client, people["specialist"], sent.validation)
    assert f'href="{stored.get_download_url()}"' in html
    assert 'data-scan="clean"' in html and "Not scanned" not in html
    response = client.get(stored.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_without_a_scanner_the_file_is_marked_not_scanned_on_the_page(
    client, people, sent, settings, django_capture_on_commit_callbacks
):
    settings.CLAMD_SOCKET = settings.CLAMD_TCP = ""
    stored = upload(client, people, sent, django_capture_on_commit_callbacks)
    assert stored.scan_status == ScanStatus.NOT_SCANNED
    for person in (people["partner_user"], people["specialist"]):
        html = page(client, person, sent.validation)
        assert 'data-scan="not_scanned"' in html and "Not scanned</span>" in html
    assert client.get(stored.get_download_url()).status_code == 200


def test_while_clamd_is_down_only_the_uploader_sees_the_file_pending_and_nobody_downloads(
    client, people, sent, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CLAMD_SOCKET, settings.CLAMD_TIMEOUT = str(tmp_path / "nobody.sock"), 0.5
    stored = upload(client, people, sent, django_capture_on_commit_callbacks)
    assert stored.scan_status == ScanStatus.SCANNING
    html = page(client, people["partner_user"], sent.validation)
    assert 'data-scan="scanning"' in html and "Being scanned" in html
    assert stored.get_download_url() not in html
    assert client.get(stored.get_download_url()).status_code == 404
    colleague = MembershipFactory(partner=people["partner"]).user
    for person in (colleague, people["specialist"]):
        html = page(client, person, sent.validation)
        assert "risk.pdf" not in html
        assert client.get(stored.get_download_url()).status_code == 404


def test_a_scan_left_pending_is_queued_again_and_then_recorded(
    client, people, sent, settings, tmp_path, scanner, django_capture_on_commit_callbacks
):
    settings.CLAMD_SOCKET = str(tmp_path / "nobody.sock")
    stored = upload(client, people, sent, django_capture_on_commit_callbacks)
    assert stored.scan_status == ScanStatus.SCANNING
    assert scanning.requeue_stalled() == 0, "not stalled yet"
    settings.CLAMD_SOCKET = scanner  # clamd is back
    later = timezone.now() + timedelta(seconds=settings.SCAN_RETRY_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert scanning.requeue_stalled(now=later) == 1
    assert scanning.requeue_stalled(now=later) == 0, "claimed once"
    stored.refresh_from_db()
    assert stored.scan_status == ScanStatus.CLEAN
    assert OutboxMessage.objects.filter(task=scanning.SCAN_TASK).count() == 2


def test_the_scan_is_queued_in_the_uploads_transaction_and_runs_once(
    people, sent, settings, django_capture_on_commit_callbacks
):
    settings.CLAMD_SOCKET = settings.CLAMD_TCP = ""
    with django_capture_on_commit_callbacks() as callbacks:
        stored = services.document_upload(
            request=sent,
            actor=people["partner_user"],
            file=SimpleUploadedFile("risk.pdf", pdf_bytes()),
        )
    message = OutboxMessage.objects.get(task=scanning.SCAN_TASK)
    assert message.kwargs == {"model": "validations.DocumentUpload", "pk": stored.pk}
    assert len(callbacks) == 1
    callbacks[0]()
    callbacks[0]()  # sent twice: the second run finds the row done
    stored.refresh_from_db()
    assert stored.scan_status == ScanStatus.NOT_SCANNED
    assert scanning.scan_document(model="validations.DocumentUpload", pk=stored.pk) == (
        ScanStatus.NOT_SCANNED
    )


def test_beat_requeues_stalled_scans():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["requeue-stalled-scans"]["task"] == (
        "ctpat.requeue_stalled_scans"
    )
