"""The yearly benefits report (PDF by Celery, and CSV) and partner government agencies."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from benefits import services
from benefits.models import Agency, AgencyOffering, BenefitsReport
from benefits.selectors import agency_participation_counts
from ctpat.errors import DomainError
from tests.factories import MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db
YEAR = date.today().year - 1


def test_issuing_queues_the_render_after_commit_and_the_pdf_is_stored(
    supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = services.report_issue(actor=supervisor, year=YEAR)
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert report.status == "ready", report.error
    assert report.size > 1000 and len(report.sha256) == 64
    assert report.snapshot["year"] == YEAR


def test_a_second_issue_is_a_new_version(supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_issue(actor=supervisor, year=YEAR)
        services.report_issue(actor=supervisor, year=YEAR)
    assert list(BenefitsReport.objects.values_list("version", flat=True)) == [2, 1]


def test_specialists_do_not_issue_and_future_years_are_refused(supervisor, specialist):
    with pytest.raises(DomainError, match="supervisor"):
        services.report_issue(actor=specialist, year=YEAR)
    with pytest.raises(DomainError, match="begun"):
        services.report_issue(actor=supervisor, year=date.today().year + 1)
    assert BenefitsReport.objects.count() == 0


def test_a_failed_render_is_recorded_and_retried(supervisor, monkeypatch):
    from benefits import documents

    monkeypatch.setattr(documents, "render_report_pdf", lambda s: 1 / 0)
    report = services.report_issue(actor=supervisor, year=YEAR)
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "failed" and "ZeroDivisionError" in report.error
    monkeypatch.undo()
    services.report_retry(report=report, actor=supervisor)
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "ready"
    with pytest.raises(DomainError):
        services.report_retry(report=report, actor=supervisor)


def test_everyone_downloads_the_published_pdf_and_csv(
    client, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_issue(actor=supervisor, year=YEAR)
    client.force_login(MembershipFactory(partner=PartnerFactory()).user)
    response = client.get(reverse("benefits:report_download", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    response = client.get(reverse("benefits:report_csv", args=[report.pk]))
    assert "no-store" in response["Cache-Control"]
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("year,section,label,metric")
    assert any("Fewer examinations" in line for line in lines)
    assert client.post(reverse("benefits:reports"), {"year": YEAR}).status_code == 403


def test_the_supervisor_issues_from_the_page(
    client, supervisor, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    token = client.get(reverse("benefits:reports")).context["form"]["submission"].initial
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("benefits:reports"), {"year": YEAR, "submission": token})
    assert response.status_code == 302
    assert BenefitsReport.objects.get().status == "ready"  # eager Celery in tests


def test_participation_counts_per_agency(validated_partner, supervisor):
    fda = Agency.objects.create(code="FDA", name="Food and Drug Administration")
    Agency.objects.create(code="CPSC", name="Consumer Product Safety Commission")
    pilot = AgencyOffering.objects.create(agency=fda, name="Pilot", kind="pilot", description="-")
    other = AgencyOffering.objects.create(agency=fda, name="Other", kind="benefit", description="-")
    today = date.today()
    services.participation_add(
        actor=supervisor, partner=validated_partner, data={"offering": pilot, "since": today}
    )
    services.participation_add(
        actor=supervisor, partner=validated_partner, data={"offering": other, "since": today}
    )
    ended = PartnerFactory(field_office=supervisor.field_office)
    services.participation_add(
        actor=supervisor,
        partner=ended,
        data={
            "offering": pilot,
            "since": today - timedelta(days=90),
            "until": today - timedelta(days=1),
        },
    )
    with pytest.raises(DomainError, match="already takes part"):
        services.participation_add(
            actor=supervisor, partner=validated_partner, data={"offering": pilot, "since": today}
        )
    assert [(a["code"], a["partners"]) for a in agency_participation_counts()] == [
        ("CPSC", 0),
        ("FDA", 1),
    ]


def test_the_partner_page_lists_its_participations(client, validated_partner, supervisor):
    fda = Agency.objects.create(code="FDA", name="Food and Drug Administration")
    pilot = AgencyOffering.objects.create(
        agency=fda, name="Food pilot", kind="pilot", description="-"
    )
    client.force_login(supervisor)
    url = reverse("benefits:participation_add", args=[validated_partner.pk])
    token = client.get(url).context["form"]["submission"].initial
    client.post(url, {"submission": token, "offering": pilot.pk, "since": "2026-01-05"})
    client.force_login(validated_partner.memberships.get().user)
    html = client.get(reverse("benefits:partner", args=[validated_partner.pk])).content.decode()
    assert "FDA: Food pilot" in html
    assert client.get(url).status_code == 403
