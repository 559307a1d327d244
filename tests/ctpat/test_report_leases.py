"""Report renders hold a lease (ctpat.reports): claimed once, re-queued when it runs out."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from benefits import services
from benefits.models import BenefitsReport
from ctpat import reports
from ctpat.errors import DomainError
from ctpat.models import OutboxMessage, ReportStatus
from ctpat.tasks import requeue_expired_leases
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7 a report"


@pytest.fixture
def supervisor():
    return UserFactory(supervisor=True)


@pytest.fixture
def report(supervisor):
    return BenefitsReport.objects.create(
        year=2025, version=1, snapshot={"year": 2025}, requested_by=supervisor
    )


def render(report_id, render_pdf=lambda snapshot: PDF):
    return reports.render_and_store(
        BenefitsReport, report_id, render_pdf=render_pdf, folder="lease-test"
    )


def stored_files():
    return default_storage.listdir("lease-test")[1] if default_storage.exists("lease-test") else []


def age(report, **fields):
    BenefitsReport.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    return report


def test_a_render_claims_a_lease_and_a_second_claim_meanwhile_does_nothing(report):
    seen = []

    def render_pdf(snapshot):
        report.refresh_from_db()
        seen.append((report.status, report.lease_expires_at))
        # Another worker runs the same task now: the lease is held, so it does nothing.
        assert render(report.pk).status == ReportStatus.RENDERING
        return PDF

    done = render(report.pk, render_pdf)

    [(status, lease)] = seen
    assert status == ReportStatus.RENDERING and lease > timezone.now()
    assert done.status == ReportStatus.READY and done.lease_expires_at is None
    assert done.started_at is not None and done.sha256
    assert len(stored_files()) == 1


def test_a_render_that_lost_its_lease_stores_nothing_and_the_report_is_issued_once(report):
    def slow_render(snapshot):
        # The lease runs out while this render is still going; another worker takes over.
        age(report, lease_expires_at=timezone.now() - timedelta(seconds=1))
        assert render(report.pk).status == ReportStatus.READY
        return b"%PDF-1.7 the late one"

    render(report.pk, slow_render)

    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert stored_files() == [report.stored_name.rsplit("/", 1)[1]]
    assert default_storage.open(report.stored_name).read() == PDF


def test_a_new_claim_removes_the_file_a_killed_render_left(report):
    age(
        report,
        status=ReportStatus.RENDERING,
        stored_name="lease-test/v1-killed.pdf",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    default_storage.save("lease-test/v1-killed.pdf", ContentFile(b"%PDF-1.7 half"))
    render(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert stored_files() == [report.stored_name.rsplit("/", 1)[1]]


def test_an_expired_lease_is_queued_again_once(
    report, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("benefits.documents.render_report_pdf", lambda snapshot: PDF)
    age(
        report,
        status=ReportStatus.RENDERING,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert report.is_stuck and report.can_be_retried

    # Through the outbox: sent after commit, and eager here, so the render runs in-process.
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_expired_leases() == 1

    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert requeue_expired_leases() == 0


def test_the_requeue_sends_the_render_by_the_task_name_each_kind_declares(report):
    age(report, status=ReportStatus.RENDERING, lease_expires_at=timezone.now())

    assert reports.requeue_expired(timezone.now() + timedelta(seconds=1)) == 1
    assert reports.requeue_expired(timezone.now() + timedelta(seconds=1)) == 0  # idempotent

    # Written to the outbox by name (ctpat imports no app), to be sent after commit.
    sent = list(OutboxMessage.objects.values_list("task", "kwargs"))
    assert sent == [("benefits.render_report", {"report_id": report.pk})]
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.lease_expires_at > timezone.now()


def test_a_fresh_lease_and_a_fresh_queue_are_left_alone(report, supervisor):
    age(
        report,
        status=ReportStatus.RENDERING,
        lease_expires_at=timezone.now() + timedelta(seconds=60),
    )
    queued = BenefitsReport.objects.create(
        year=2025, version=2, snapshot={}, requested_by=supervisor
    )
    assert not report.is_stuck and not queued.is_stuck

    assert requeue_expired_leases() == 0

    report.refresh_from_db()
    assert report.status == ReportStatus.RENDERING


def test_a_report_queued_too_long_without_a_lease_is_stuck(report, settings):
    age(report, created_at=timezone.now() - timedelta(seconds=settings.REPORT_QUEUED_SECONDS + 1))
    assert report.is_stuck
    assert BenefitsReport.objects.filter(BenefitsReport.stuck()).get() == report


def test_a_stuck_report_is_retried_and_a_second_click_changes_nothing(
    report, supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("benefits.documents.render_report_pdf", lambda snapshot: PDF)
    age(
        report,
        status=ReportStatus.RENDERING,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    with django_capture_on_commit_callbacks() as queued:
        assert services.report_retry(report=report, actor=supervisor) is True
    assert len(queued) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and not report.is_stuck

    with django_capture_on_commit_callbacks() as queued:
        assert services.report_retry(report=report, actor=supervisor) is False
    assert queued == []

    render(report.pk)
    with pytest.raises(DomainError, match="ready"):
        services.report_retry(report=report.__class__.objects.get(pk=report.pk), actor=supervisor)


def test_the_page_offers_retry_for_a_stuck_report_and_says_what_happened(
    client, report, supervisor, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    age(report, status=ReportStatus.RENDERING, lease_expires_at=timezone.now())
    page = client.get(reverse("benefits:reports")).content.decode()
    assert 'data-action="report-retry"' in page and 'data-testid="report-stuck"' in page

    url = reverse("benefits:report_retry", args=[report.pk])
    with django_capture_on_commit_callbacks():
        first = client.post(url, follow=True).content.decode()
    assert reports.RETRIED in first
    second = client.post(url, follow=True).content.decode()
    assert reports.ALREADY_BEING_MADE in second
    assert 'data-action="report-retry"' not in second


def test_a_render_claimed_before_leases_existed_is_stuck(report):
    age(report, status=ReportStatus.RENDERING, lease_expires_at=None)
    assert report.is_stuck
    assert BenefitsReport.objects.filter(BenefitsReport.stuck()).get() == report
