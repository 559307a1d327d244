"""Issue 15, parts 1 and 2: findings follow the criterion's level; approval waits for the
visit, every finding and every document request; Tier 3 and failure have their rules."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from ctpat.errors import DomainError
from deadlines import services as deadline_services
from deadlines.models import Consequence
from partners.choices import Status as EnrollmentStatus
from tests.factories import PartnerFactory, UserFactory
from tests.validations.conftest import (
    first_must,
    first_should,
    record_all,
    to_review,
    withdraw_open_requests,
)
from validations import permissions, selectors, services
from validations.choices import Result

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(people, planned):
    services.validation_request_documents(validation=planned, actor=people["specialist"])
    services.validation_start(validation=planned, actor=people["specialist"])
    return planned


def record(validation, actor, finding, result, narrative="Seen on site"):
    return services.findings_record(
        validation=validation, actor=actor, results={finding.pk: (result, narrative)}
    )


# --- Findings -------------------------------------------------------------------------


def test_an_unmet_must_is_a_required_action_not_a_recommendation(people, started):
    must = first_must(started)
    with pytest.raises(DomainError, match="is a Must: an unmet Must is a required action"):
        record(started, people["specialist"], must, Result.RECOMMENDATION)
    assert record(started, people["specialist"], must, Result.REQUIRED_ACTION) == 1


def test_an_unmet_should_is_a_recommendation_not_a_required_action(people, started):
    should = first_should(started)
    with pytest.raises(DomainError, match="is a Should: an unmet Should is a recommendation"):
        record(started, people["specialist"], should, Result.REQUIRED_ACTION)
    assert record(started, people["specialist"], should, Result.RECOMMENDATION) == 1


def test_a_met_criterion_of_either_level_may_note_a_best_practice(people, started):
    s = people["specialist"]
    assert record(started, s, first_must(started), Result.BEST_PRACTICE) == 1
    assert record(started, s, first_should(started), Result.BEST_PRACTICE) == 1


def test_not_applicable_needs_its_reason(people, started):
    must = first_must(started)
    with pytest.raises(DomainError, match="say why the criterion does not apply"):
        record(started, people["specialist"], must, Result.NOT_APPLICABLE, narrative=" ")
    assert record(started, people["specialist"], must, Result.NOT_APPLICABLE, "No seals") == 1


def test_the_form_offers_each_row_only_the_results_its_level_allows(client, people, started):
    client.force_login(people["specialist"])
    page = client.get(reverse("validations:findings", args=[started.pk]))
    assert page.status_code == 200
    formset = page.context["formset"]
    for finding, form in zip(selectors.findings_of(started), formset.forms, strict=True):
        offered = {value for value, _ in form.fields["result"].choices}
        if finding.criterion_version.level == "must":
            assert "required_action" in offered and "recommendation" not in offered
        else:
            assert "recommendation" in offered and "required_action" not in offered


def test_the_form_refuses_a_result_the_level_does_not_allow(client, people, started):
    findings = list(selectors.findings_of(started))
    must_index = next(i for i, f in enumerate(findings) if f.criterion_version.level == "must")
    data = {"findings-TOTAL_FORMS": len(findings), "findings-INITIAL_FORMS": len(findings)}
    for i, finding in enumerate(findings):
        data[f"findings-{i}-finding"] = finding.pk
        data[f"findings-{i}-result"] = "recommendation" if i == must_index else ""
        data[f"findings-{i}-narrative"] = "x"
    client.force_login(people["specialist"])
    page = client.post(reverse("validations:findings", args=[started.pk]), data)
    assert page.status_code == 200  # shown again with the error beside the row
    assert not started.findings.exclude(result="").exists()


def test_findings_are_grouped_by_focus_area_and_category_with_progress(people, started):
    record(started, people["specialist"], first_must(started), Result.MEETS)
    groups = selectors.findings_grouped(selectors.findings_of(started))
    assert [g["focus_area"].number for g in groups] == sorted(
        g["focus_area"].number for g in groups
    )
    categories = [c for g in groups for c in g["categories"]]
    assert sum(c["total"] for c in categories) == started.findings.count()
    assert sum(c["assessed"] for c in categories) == 1


@pytest.mark.parametrize("viewer", ["specialist", "partner_user"])
def test_the_grouped_findings_page_keeps_its_queries_at_two_sizes(
    client, people, viewer, django_assert_max_num_queries
):
    """CBP's page and the partner's (after approval) read the same grouping, in the same
    number of queries however many criteria apply."""
    from validations.models import Finding

    to_review(people, _planned(people))
    validation = people["partner"].enrollments.get(program="security").validations.get()
    services.validation_approve(validation=validation, actor=people["supervisor"], tier=2)
    client.force_login(people[viewer])
    url = reverse("validations:detail", args=[validation.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        page = client.get(url)
    assert b"category-1" in page.content and b"assessed" in page.content
    kept = Finding.objects.filter(validation=validation).order_by("pk")[:5]
    Finding.objects.filter(validation=validation).exclude(pk__in=[f.pk for f in kept]).delete()
    with django_assert_max_num_queries(40) as fewer:
        client.get(url)
    assert len(few.captured_queries) == len(fewer.captured_queries)


def _planned(people):
    return services.validation_plan(
        actor=people["supervisor"],
        enrollment=people["enrollment"],
        kind="initial",
        mode="on_site",
        lead=people["specialist"],
        planned_start=date.today(),
        planned_end=date.today(),
    )


# --- Approval -------------------------------------------------------------------------


def _ready_but_for_requests(people, v):
    s = people["specialist"]
    services.validation_request_documents(validation=v, actor=s)
    services.validation_start(validation=v, actor=s)
    record_all(v, s)
    services.validation_draft(validation=v, actor=s)
    services.validation_submit(validation=v, actor=s)
    return v


def test_approval_is_refused_while_a_document_request_is_open(people, planned):
    v = _ready_but_for_requests(people, planned)
    with pytest.raises(DomainError, match="document requests? (is|are) still open"):
        services.validation_approve(validation=v, actor=people["supervisor"], tier=2)
    v.refresh_from_db()
    assert "still open" in permissions.can_make_move(people["supervisor"], v, "approve").reason


def test_approval_goes_ahead_once_each_request_is_answered_or_withdrawn(people, planned):
    v = _ready_but_for_requests(people, planned)
    withdraw_open_requests(v, people["specialist"])
    services.validation_approve(validation=v, actor=people["supervisor"], tier=2)
    v.refresh_from_db()
    assert v.status == "approved"


def test_a_withdrawal_needs_its_reason_and_the_partner_can_no_longer_upload(people, started):
    request = started.document_requests.first()
    with pytest.raises(DomainError, match="Say why the request is withdrawn"):
        services.document_request_withdraw(request=request, actor=people["specialist"], reason="")
    services.document_request_withdraw(
        request=request, actor=people["specialist"], reason="Seen on site"
    )
    request.refresh_from_db()
    assert (request.status, request.withdrawn_reason) == ("withdrawn", "Seen on site")
    assert not permissions.can_upload_request_document(people["partner_user"], request)
    with pytest.raises(DomainError, match="This document request is already withdrawn."):
        services.document_request_withdraw(
            request=request, actor=people["specialist"], reason="Again"
        )


def test_the_partner_cannot_withdraw_a_request(people, started):
    request = started.document_requests.first()
    with pytest.raises(DomainError, match="Only the validation's team"):
        services.document_request_withdraw(
            request=request, actor=people["partner_user"], reason="No"
        )


def test_approval_is_refused_while_a_finding_is_unassessed(people, planned):
    s = people["specialist"]
    to_review(people, planned)
    services.validation_return(validation=planned, actor=people["supervisor"], comment="More")
    planned.findings.filter(pk=first_should(planned).pk).update(result="")
    planned.status = "supervisor_review"
    planned.save(update_fields=["status"])
    with pytest.raises(DomainError, match="criterion has no result yet"):
        services.validation_approve(validation=planned, actor=people["supervisor"], tier=2)
    assert s  # the team records it before the supervisor tries again


def test_approval_is_refused_before_the_visit_begins(people):
    start = date.today() + timedelta(days=5)
    v = services.validation_plan(
        actor=people["supervisor"],
        enrollment=people["enrollment"],
        kind="initial",
        mode="on_site",
        lead=people["specialist"],
        planned_start=start,
        planned_end=start,
    )
    to_review(people, v)
    with pytest.raises(DomainError, match="the report is approved once it has begun"):
        services.validation_approve(validation=v, actor=people["supervisor"], tier=2)


def test_the_approve_form_shows_counts_by_result_and_level(client, people, in_review):
    client.force_login(people["supervisor"])
    page = client.get(reverse("validations:move", args=[in_review.pk, "approve"]))
    assert page.status_code == 200
    counts = {row["result"]: row for row in page.context["counts"]}
    assert counts["required_action"]["must"] == 1 and counts["required_action"]["should"] == 0
    assert counts["meets"]["must"] + counts["meets"]["should"] == in_review.findings.count() - 1
    assert b'value="3"' not in page.content  # a required action is open: no Tier 3


def test_tier_3_is_refused_with_a_required_action_open(people, in_review):
    with pytest.raises(DomainError, match="Tier 3 is not offered while a required action"):
        services.validation_approve(validation=in_review, actor=people["supervisor"], tier=3)


def test_tier_3_needs_a_best_practice(people, planned):
    s = people["specialist"]
    services.validation_request_documents(validation=planned, actor=s)
    services.validation_start(validation=planned, actor=s)
    record_all(planned, s)
    withdraw_open_requests(planned, s)
    services.validation_draft(validation=planned, actor=s)
    services.validation_submit(validation=planned, actor=s)
    with pytest.raises(DomainError, match="at least one recorded best practice"):
        services.validation_approve(validation=planned, actor=people["supervisor"], tier=3)
    services.validation_return(validation=planned, actor=people["supervisor"], comment="BP?")
    record(planned, s, first_must(planned), Result.BEST_PRACTICE, "Exemplary seal log")
    services.validation_submit(validation=planned, actor=s)
    assert permissions.can_award_tier_3(planned)
    services.validation_approve(validation=planned, actor=people["supervisor"], tier=3)
    people["enrollment"].refresh_from_db()
    assert people["enrollment"].tier == 3


def test_a_failed_validation_proposes_a_security_suspension_the_supervisor_confirms(
    people, in_review
):
    services.validation_approve(validation=in_review, actor=people["supervisor"], tier=None)
    proposal = Consequence.objects.get(partner=people["partner"])
    assert proposal.status == "proposed"
    assert "failed validation" in proposal.label
    assert proposal.url == reverse("validations:detail", args=[in_review.pk])
    people["enrollment"].refresh_from_db()
    assert people["enrollment"].status == EnrollmentStatus.CERTIFIED  # nothing by itself
    decided = deadline_services.consequence_decide(
        actor=people["supervisor"], consequence=proposal, confirm=True, reason="Seals missing"
    )
    assert "reinstatement or removal is decided on the partner page" in decided.next_step.text
    assert decided.next_step.url == reverse("partners:detail", args=[people["partner"].pk])
    people["enrollment"].refresh_from_db()
    assert people["enrollment"].status == EnrollmentStatus.SUSPENDED
    assert people["enrollment"].suspension_cause == "failed_validation"


def test_an_administrator_planning_names_a_supervisor_of_the_office_as_approver(people):
    admin = UserFactory(administrator=True)
    v = services.validation_plan(
        actor=admin,
        enrollment=people["enrollment"],
        kind="initial",
        mode="on_site",
        lead=people["specialist"],
        planned_start=date.today(),
        planned_end=date.today(),
    )
    assert v.approving_supervisor == people["supervisor"]


def test_an_approver_from_another_office_is_refused(people):
    elsewhere = UserFactory(supervisor=True, field_office=PartnerFactory().field_office)
    with pytest.raises(DomainError, match="is not a supervisor of the partner's field office"):
        services.validation_plan(
            actor=people["supervisor"],
            enrollment=people["enrollment"],
            kind="initial",
            mode="on_site",
            lead=people["specialist"],
            planned_start=date.today(),
            planned_end=date.today(),
            approving_supervisor=elsewhere,
        )


def test_the_supervisors_queue_offers_to_confirm_the_failed_validations_proposal(
    client, people, in_review
):
    services.validation_approve(validation=in_review, actor=people["supervisor"], tier=None)
    client.force_login(people["supervisor"])
    page = client.get(reverse("deadlines:consequences"))
    assert page.status_code == 200
    assert b"Suspend Security (cause: failed validation)" in page.content
    assert b'data-action="consequence-confirm"' in page.content


def test_approving_a_for_cause_validation_of_a_suspended_partner_moves_no_enrollment(people):
    """README (Suspension): a suspended partner may get a for-cause validation, whose approval
    moves no enrollment; the supervisor weighs it with the corrective action plan."""
    from partners import services as partner_services

    enrollment = people["enrollment"]
    partner_services.enrollment_suspend(
        enrollment=enrollment, actor=people["supervisor"], reason="Seizure", cause="incident"
    )
    with pytest.raises(DomainError):
        services.validation_plan(
            actor=people["supervisor"],
            enrollment=enrollment,
            kind="initial",
            mode="on_site",
            lead=people["specialist"],
            planned_start=date.today(),
            planned_end=date.today(),
        )
    v = services.validation_plan(
        actor=people["supervisor"],
        enrollment=enrollment,
        kind="for_cause",
        mode="on_site",
        lead=people["specialist"],
        planned_start=date.today(),
        planned_end=date.today(),
    )
    to_review(people, v)
    events_before = enrollment.events.count()
    services.validation_approve(validation=v, actor=people["supervisor"], tier=2)
    v.refresh_from_db()
    enrollment.refresh_from_db()
    assert (v.status, v.outcome_tier) == ("approved", 2)
    assert v.findings.filter(action__isnull=False).exists()  # its required actions stand
    assert (enrollment.status, enrollment.tier, enrollment.last_validated_on) == (
        EnrollmentStatus.SUSPENDED,
        1,
        None,
    )
    assert enrollment.events.count() == events_before
    assert not Consequence.objects.filter(partner=people["partner"]).exists()
