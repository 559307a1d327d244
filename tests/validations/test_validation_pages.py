from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.factories import EnrollmentFactory, PartnerFactory, ValidationFactory
from tests.validations.conftest import record_all
from validations import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [2, 40])
def test_the_validation_list_query_count_does_not_grow_with_rows(
    client, people, count, django_assert_max_num_queries
):
    for _ in range(count):
        partner = PartnerFactory(field_office=people["supervisor"].field_office, security=False)
        ValidationFactory(enrollment=EnrollmentFactory(partner=partner, certified=True))
    client.force_login(people["supervisor"])
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("validations:list") + "?status=open")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("extra_requests", [0, 15])
def test_the_validation_page_query_count_does_not_grow_with_its_records(
    client, people, planned, extra_requests, django_assert_max_num_queries
):
    for n in range(extra_requests):
        services.document_request_add(
            validation=planned,
            actor=people["specialist"],
            name=f"Document {n}",
            description="",
            due_on=date.today() + timedelta(days=5),
        )
    client.force_login(people["specialist"])
    with django_assert_max_num_queries(23):
        response = client.get(reverse("validations:detail", args=[planned.pk]))
    assert response.status_code == 200


def test_the_specialist_records_findings_in_one_form(client, people, planned):
    services.validation_start(validation=planned, actor=people["specialist"])
    client.force_login(people["specialist"])
    url = reverse("validations:findings", args=[planned.pk])
    findings = list(planned.findings.all())
    data = {"findings-TOTAL_FORMS": len(findings), "findings-INITIAL_FORMS": len(findings)}
    for n, finding in enumerate(findings):
        data |= {
            f"findings-{n}-finding": finding.pk,
            f"findings-{n}-result": "meets",
            f"findings-{n}-narrative": "",
        }
    data["findings-0-result"] = "recommendation"
    missing = client.post(url, data, follow=True)
    assert "say what was found" in missing.content.decode()
    data["findings-0-narrative"] = "Consider yearly refresher training"
    client.post(url, data)
    assert planned.findings.filter(result="meets").count() == len(findings) - 1


def test_the_partner_sees_neither_draft_findings_nor_internal_comments(client, people, in_review):
    services.validation_return(
        validation=in_review, actor=people["supervisor"], comment="Tighten 1.1 wording"
    )
    client.force_login(people["partner_user"])
    html = client.get(reverse("validations:detail", args=[in_review.pk])).content.decode()
    assert "Tighten 1.1 wording" not in html
    assert "Seal log incomplete" not in html  # a finding of the unapproved report
    assert "Record findings" not in html


def test_after_approval_the_partner_sees_findings_actions_and_the_ready_report(
    client, people, in_review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.validation_approve(
            validation=in_review, actor=people["supervisor"], tier=2
        )
    client.force_login(people["partner_user"])
    html = client.get(reverse("validations:detail", args=[in_review.pk])).content.decode()
    assert "Seal log incomplete" in html and "Download PDF" in html
    response = client.get(reverse("validations:report_download", args=[in_review.pk, report.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


def test_a_move_not_allowed_for_the_role_shows_why(client, people, in_review):
    client.force_login(people["specialist"])
    response = client.post(
        reverse("validations:move", args=[in_review.pk, "approve"]), {"outcome": "2"}
    )
    assert "Only a supervisor may approve" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == "supervisor_review"


def test_the_partner_page_links_to_planning_for_supervisors(client, people):
    client.force_login(people["supervisor"])
    html = client.get(reverse("partners:detail", args=[people["partner"].pk])).content.decode()
    assert reverse("validations:plan", args=[people["partner"].pk]) in html
    record_all  # noqa: B018 - fixture helpers live in conftest
