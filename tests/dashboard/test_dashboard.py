"""The supervisors' compliance dashboard: figures, filters, the lists behind the numbers,
CSV, PDF, scope and a query count that does not grow with rows."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from dashboard import summary
from dashboard.models import DashboardReport, Snapshot
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    ValidationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    supervisor = UserFactory(supervisor=True)
    specialist = UserFactory(specialist=True, field_office=supervisor.field_office)
    return {"supervisor": supervisor, "specialist": specialist, "office": supervisor.field_office}


def applicant(office, days_ago, **kwargs):
    return PartnerFactory(
        field_office=office["office"],
        specialist=office["specialist"],
        security={
            "status": "under_review",
            "applied_on": timezone.localdate() - timedelta(days=days_ago),
        },
        **kwargs,
    )


def panel_rows(response, key):
    panel = next(p for p in response.context["panels"] if p.key == key)
    return {row.label: row for row in panel.rows}


def test_figures_count_what_the_lists_behind_them_show(client, office):
    for days in (10, 45, 100, 120):
        applicant(office, days)
    applicant(office, 100, entity_type="highway_carrier", highway_border="us_canada")
    other_office = UserFactory(supervisor=True).field_office
    PartnerFactory(
        field_office=other_office,
        legal_name="Elsewhere Secret Ltd",
        security={"status": "under_review", "applied_on": date(2026, 1, 1)},
    )
    summary.refresh()
    client.force_login(office["supervisor"])
    page = client.get("/dashboard/")
    assert page.status_code == 200
    rows = panel_rows(page, "applications")
    over_90 = rows["Applications over 90 days (past the statutory target)"]
    assert over_90.value == 3  # the other office's old application is not in scope
    listed = client.get(over_90.url)
    assert listed.context["page"].paginator.count == 3
    assert "Elsewhere Secret" not in listed.text
    assert rows["Applications under 30 days"].value == 1

    # Filtered by entity type, the same number and its list narrow together.
    filtered = client.get("/dashboard/", {"entity_type": "highway_carrier"})
    row = panel_rows(filtered, "applications")[
        "Applications over 90 days (past the statutory target)"
    ]
    assert row.value == 1 and "entity_type=highway_carrier" in row.url
    assert client.get(row.url).context["page"].paginator.count == 1


def test_a_supervisor_cannot_see_another_office_by_filtering(client, office):
    other = UserFactory(supervisor=True).field_office
    PartnerFactory(
        field_office=other, security={"status": "under_review", "applied_on": date(2026, 1, 1)}
    )
    summary.refresh()
    client.force_login(office["supervisor"])
    page = client.get("/dashboard/", {"field_office": other.pk})
    assert (
        panel_rows(page, "applications")[
            "Applications over 90 days (past the statutory target)"
        ].value
        == 0
    )


def test_only_supervisors_and_administrators_open_it(client, office):
    client.force_login(office["specialist"])
    assert client.get("/dashboard/").status_code == 403
    client.force_login(MembershipFactory().user)
    assert client.get("/dashboard/").status_code == 403


def test_each_panel_exports_as_csv(client, office):
    applicant(office, 100)
    summary.refresh()
    client.force_login(office["supervisor"])
    response = client.get("/dashboard/", {"export": "applications"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Panel", "Figure", "Value", "Note", "As of"]
    assert rows[4][1:3] == ["Applications over 90 days (past the statutory target)", "1"]
    assert client.get("/dashboard/", {"export": "nope"}).status_code == 404


def test_the_freshness_line_and_a_stale_snapshot_is_recomputed_without_a_broker(
    client, office, settings
):
    settings.CELERY_BROKER_URL = ""  # the embedded setup: no beat keeps the figures fresh
    old = summary.refresh()
    Snapshot.objects.filter(pk=old.pk).update(computed_at=timezone.now() - timedelta(minutes=5))
    client.force_login(office["supervisor"])
    page = client.get("/dashboard/")
    assert Snapshot.objects.get().pk != old.pk  # recomputed, the old one gone
    assert "figures as of" in page.text and "less than a minute ago" in page.text


def test_the_median_comes_from_histograms_that_add_up():
    figures = summary.Figures(
        Snapshot(computed_at=timezone.now()), {("h", "1"): 2, ("h", "5"): 1, ("h", "9"): 2}
    )
    assert figures.histogram_median("h") == 5
    assert figures.histogram_max("h") == 9
    assert figures.histogram_median("nothing") is None


def test_the_whole_dashboard_as_pdf(client, office, django_capture_on_commit_callbacks):
    applicant(office, 100)
    summary.refresh()
    client.force_login(office["supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dashboard/pdf/?program=security")
    report = DashboardReport.objects.get()
    assert response.url == f"/dashboard/pdf/{report.pk}/"
    assert report.status == "ready" and report.snapshot["filters"] == ["Program: Security"]
    download = client.get(f"/dashboard/pdf/{report.pk}/download/")
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Someone else's PDF is not theirs to download.
    client.force_login(UserFactory(supervisor=True, field_office=office["office"]))
    assert client.get(f"/dashboard/pdf/{report.pk}/download/").status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_the_query_count_does_not_grow_with_rows(
    client, office, size, django_assert_max_num_queries
):
    for n in range(size):
        p = applicant(office, 20 + n * 7)
        EnrollmentFactory(
            partner=PartnerFactory(
                field_office=office["office"], security=False, specialist=office["specialist"]
            ),
            validated=True,
        )
        MembershipFactory(partner=p)
    summary.refresh()
    client.force_login(office["supervisor"])
    # Session, user, unread count, specialists, offices, snapshot, figures, workload, ...
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    with django_assert_max_num_queries(13):
        response = client.get("/dashboard/", {"program": "security"})
    assert response.status_code == 200


def test_names_that_look_like_formulas_export_as_text(client, office):
    office["specialist"].full_name = '=HYPERLINK("http://evil.example")'
    office["specialist"].save()
    ValidationFactory(
        enrollment__partner=PartnerFactory(
            field_office=office["office"], specialist=office["specialist"], security=False
        )
    )
    summary.refresh()
    client.force_login(office["supervisor"])
    response = client.get("/dashboard/", {"export": "workload"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1].startswith("'=HYPERLINK")


def test_a_granted_extension_is_not_counted_overdue(client, office):
    from deadlines.models import ExtensionRequest

    partner = PartnerFactory(
        field_office=office["office"], specialist=office["specialist"], security=False
    )
    enrollment = EnrollmentFactory(
        partner=partner, certified=True, certified_on=timezone.localdate() - timedelta(days=400)
    )
    summary.refresh()
    client.force_login(office["supervisor"])
    rows = panel_rows(client.get("/dashboard/"), "annual")
    assert rows["Annual profile review overdue"].value == 1
    ExtensionRequest.objects.create(
        partner=partner,
        key=f"profile_review:{enrollment.pk}:{enrollment.annual_due_on}",
        deadline_label="Annual security profile review",
        due_on=enrollment.annual_due_on,
        requested_until=timezone.localdate() + timedelta(days=20),
        reason="Leave.",
        requested_by=MembershipFactory(partner=partner).user,
        status="granted",
        granted_until=timezone.localdate() + timedelta(days=20),
    )
    summary.refresh()
    rows = panel_rows(client.get("/dashboard/"), "annual")
    assert rows["Annual profile review overdue"].value == 0
    assert (
        client.get(rows["Annual profile review overdue"].url).context["page"].paginator.count == 0
    )


def test_asking_for_the_pdf_twice_makes_one(client, office):
    summary.refresh()
    client.force_login(office["supervisor"])
    first = client.post("/dashboard/pdf/")  # no worker runs it in this test: it stays queued
    second = client.post("/dashboard/pdf/", follow=True)
    assert DashboardReport.objects.count() == 1
    assert second.redirect_chain[-1][0] == first.url


def test_with_a_broker_the_page_shows_the_figures_beat_made_and_their_age(client, office, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"  # not contacted: beat refreshes
    old = summary.refresh()
    Snapshot.objects.filter(pk=old.pk).update(computed_at=timezone.now() - timedelta(minutes=5))
    client.force_login(office["supervisor"])
    page = client.get("/dashboard/")
    assert Snapshot.objects.get().pk == old.pk
    assert "5 minutes ago" in page.text


def test_the_program_filter_leaves_out_the_other_programs_work(client, office):
    ValidationFactory(
        enrollment__partner=PartnerFactory(
            field_office=office["office"], specialist=office["specialist"], security=False
        )
    )
    summary.refresh()
    client.force_login(office["supervisor"])
    everything = client.get("/dashboard/")
    assert everything.context["panels"][-1].rows  # the open validation is someone's work
    trade = client.get("/dashboard/", {"program": "trade_compliance"})
    workload = next(p for p in trade.context["panels"] if p.key == "workload")
    assert workload.rows == []


def test_a_pdf_stuck_past_its_lease_is_retried_once_and_the_page_says_so(
    client, office, django_capture_on_commit_callbacks
):
    from ctpat import reports

    summary.refresh()
    client.force_login(office["supervisor"])
    client.post("/dashboard/pdf/")  # no worker runs it in this test: it stays queued
    report = DashboardReport.objects.get()
    DashboardReport.objects.filter(pk=report.pk).update(
        status="rendering", lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    page = client.get(f"/dashboard/pdf/{report.pk}/")
    assert 'data-action="report-retry"' in page.text

    with django_capture_on_commit_callbacks() as queued:
        first = client.post(f"/dashboard/pdf/{report.pk}/", follow=True)
        second = client.post(f"/dashboard/pdf/{report.pk}/", follow=True)
    assert len(queued) == 1
    assert reports.RETRIED in first.text and reports.ALREADY_BEING_MADE in second.text
    assert DashboardReport.objects.get().status == "queued"
