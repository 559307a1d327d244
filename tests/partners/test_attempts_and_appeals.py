"""Enrollments are attempts; suspension causes, corrective action plans, appeals (issue 15)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from ctpat.errors import DomainError
from partners import permissions, services
from partners.choices import AppealStatus, PlanStatus, Program, Status
from partners.deadlines import KINDS
from partners.models import Appeal, Enrollment, EnrollmentEvent
from tests.factories import (
    CorrectiveActionPlanFactory,
    EnrollmentFactory,
    IdentifierFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ACTIONS = [{"objective": "Two-person seal checks", "owner": "Dock lead", "due_on": date.today()}]


@pytest.fixture
def staff():
    specialist = UserFactory(specialist=True)
    supervisor = UserFactory(supervisor=True, field_office=specialist.field_office)
    return specialist, supervisor


@pytest.fixture
def partner(staff):
    partner = PartnerFactory(field_office=staff[0].field_office)
    IdentifierFactory(partner=partner)
    return partner


def officer_of(partner):
    return MembershipFactory(partner=partner, officer=True).user


def security_of(partner):
    return partner.enrollments.get(program=Program.SECURITY)


def reject(enrollment, actor):
    services.enrollment_reject(enrollment=enrollment, actor=actor, reason="Profile left blank")


def suspend(partner, supervisor, **more):
    enrollment = EnrollmentFactory(partner=partner, validated=True)
    Enrollment.objects.filter(partner=partner, program="security").exclude(pk=enrollment.pk).update(
        is_current=False, status="rejected", attempt=0
    )
    enrollment = Enrollment.objects.get(pk=enrollment.pk)
    services.enrollment_suspend(
        enrollment=enrollment, actor=supervisor, reason="Seizure", cause="incident", **more
    )
    enrollment.refresh_from_db()
    return enrollment


# --- Attempts -------------------------------------------------------------------------


def test_a_rejected_partner_applies_again_at_once_and_keeps_its_account_and_identifiers(
    partner, staff
):
    specialist, _ = staff
    first = security_of(partner)
    reject(first, specialist)
    account, identifiers = partner.account_number, list(partner.identifiers.all())
    second = services.enrollment_reapply(partner=partner, actor=specialist, reason="New profile")
    first.refresh_from_db()
    partner.refresh_from_db()
    assert (first.is_current, first.attempt, first.status) == (False, 1, Status.REJECTED)
    assert (second.is_current, second.attempt, second.status) == (True, 2, Status.APPLICANT)
    assert security_of(partner) == second  # "the partner's enrollment" is the current attempt
    assert Enrollment.attempts.filter(partner=partner).count() == 2
    assert partner.account_number == account
    assert list(partner.identifiers.all()) == identifiers
    assert partner.security_status == Status.APPLICANT


def test_a_partner_with_an_open_application_cannot_apply_again(partner, staff):
    with pytest.raises(DomainError, match="already has a Security enrollment"):
        services.enrollment_reapply(partner=partner, actor=staff[0], reason="Again")


def test_the_database_holds_at_most_one_open_attempt(partner):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.attempts.create(
            partner=partner,
            program="security",
            applied_on=date.today(),
            attempt=2,
            is_current=False,
        )


def test_after_a_withdrawal_the_partner_waits_a_year(partner, staff):
    specialist, _ = staff
    services.enrollment_withdraw(
        enrollment=security_of(partner), actor=specialist, reason="Left by letter"
    )
    partner = type(partner).objects.get(pk=partner.pk)
    verdict = permissions.can_reapply(specialist, partner)
    assert not verdict and "may apply again from" in verdict.reason
    later = date.today() + timedelta(days=366)
    with time_machine.travel(datetime(later.year, later.month, later.day, 12, tzinfo=UTC)):
        services.enrollment_reapply(partner=partner, actor=specialist, reason="Back")
    assert security_of(partner).attempt == 2


def test_a_partner_user_cannot_record_a_new_application(partner, staff):
    reject(security_of(partner), staff[0])
    with pytest.raises(DomainError):
        services.enrollment_reapply(partner=partner, actor=officer_of(partner), reason="x")


def test_earlier_attempts_stay_on_the_partner_page_and_the_timeline(client, partner, staff):
    specialist, _ = staff
    reject(security_of(partner), specialist)
    services.enrollment_reapply(partner=partner, actor=specialist, reason="Second try")
    client.force_login(specialist)
    page = client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert "Earlier attempts" in page and "Profile left blank" in page
    timeline = client.get(reverse("partners:timeline", args=[partner.pk])).content.decode()
    assert "Security (attempt 2): application received" in timeline
    assert "Profile left blank" in timeline


def test_an_earlier_attempt_cannot_be_moved(partner, staff):
    specialist, _ = staff
    first = security_of(partner)
    reject(first, specialist)
    services.enrollment_reapply(partner=partner, actor=specialist, reason="Again")
    first.refresh_from_db()
    assert not permissions.can_make_enrollment_move(specialist, first, "start_review")


# --- Suspension causes and the corrective action plan ----------------------------------


def test_a_suspension_needs_a_cause_and_other_needs_its_text(partner, staff):
    _, supervisor = staff
    enrollment = EnrollmentFactory(
        partner=PartnerFactory(field_office=supervisor.field_office, security=False),
        validated=True,
    )
    with pytest.raises(DomainError, match="Say what the other cause is"):
        services.enrollment_suspend(
            enrollment=enrollment, actor=supervisor, reason="x", cause="other"
        )
    services.enrollment_suspend(
        enrollment=enrollment,
        actor=supervisor,
        reason="x",
        cause="other",
        cause_text="Refused a site visit",
    )
    enrollment.refresh_from_db()
    assert enrollment.suspension_cause_label == "Refused a site visit"


def test_reinstatement_is_refused_without_an_accepted_plan_then_allowed(staff):
    _, supervisor = staff
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = suspend(partner, supervisor)
    officer = officer_of(partner)
    with pytest.raises(DomainError, match="accepted corrective action plan"):
        services.enrollment_reinstate(enrollment=enrollment, actor=supervisor, reason="x")
    plan = services.corrective_action_plan_save(
        enrollment=enrollment, actor=officer, summary="Fix seals", actions=ACTIONS, submit=True
    )
    with pytest.raises(DomainError, match="accepted corrective action plan"):
        services.enrollment_reinstate(enrollment=enrollment, actor=supervisor, reason="x")
    services.corrective_action_plan_decide(
        plan=plan, actor=supervisor, accept=True, reason="Answers the cause"
    )
    services.enrollment_reinstate(enrollment=enrollment, actor=supervisor, reason="Plan accepted")
    enrollment.refresh_from_db()
    assert enrollment.status == Status.VALIDATED
    assert enrollment.suspension_cause == ""


def test_a_plan_is_submitted_once_returned_and_submitted_again(staff):
    _, supervisor = staff
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = suspend(partner, supervisor)
    officer = officer_of(partner)
    draft = services.corrective_action_plan_save(
        enrollment=enrollment, actor=officer, summary="Draft", actions=[], submit=False
    )
    assert draft.status == PlanStatus.DRAFT
    with pytest.raises(DomainError, match="at least one objective"):
        services.corrective_action_plan_save(
            enrollment=enrollment, actor=officer, summary="x", actions=[], submit=True
        )
    plan = services.corrective_action_plan_save(
        enrollment=enrollment, actor=officer, summary="Plan", actions=ACTIONS, submit=True
    )
    assert plan.pk == draft.pk and plan.status == PlanStatus.SUBMITTED
    with pytest.raises(DomainError, match="submitted"):  # a double submit
        services.corrective_action_plan_save(
            enrollment=enrollment, actor=officer, summary="Plan", actions=ACTIONS, submit=True
        )
    services.corrective_action_plan_decide(
        plan=plan, actor=supervisor, accept=False, reason="No owner for training"
    )
    with pytest.raises(DomainError, match="Only a submitted plan"):
        services.corrective_action_plan_decide(plan=plan, actor=supervisor, accept=True, reason="x")
    again = services.corrective_action_plan_save(
        enrollment=enrollment, actor=officer, summary="Plan", actions=ACTIONS, submit=True
    )
    assert again.status == PlanStatus.SUBMITTED
    assert list(again.actions.values_list("owner", flat=True)) == ["Dock lead"]


def test_only_a_supervisor_of_the_office_decides_a_plan(staff):
    specialist, supervisor = staff
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    plan = CorrectiveActionPlanFactory(enrollment=suspend(partner, supervisor), submitted=True)
    elsewhere = UserFactory(supervisor=True)
    for person in (specialist, elsewhere, officer_of(partner)):
        with pytest.raises(DomainError):
            services.corrective_action_plan_decide(plan=plan, actor=person, accept=True, reason="x")


def test_the_plan_deadline_closes_when_the_plan_is_submitted(staff):
    _, supervisor = staff
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = suspend(partner, supervisor, letter_on=date.today() - timedelta(days=5))
    kind = next(k for k in KINDS if k.code == "corrective_action_plan")
    due = list(kind.for_partner(partner, enrollments=[enrollment]))
    assert [d.due_on for d in due] == [date.today() + timedelta(days=85)]
    CorrectiveActionPlanFactory(enrollment=enrollment, submitted=True)
    assert list(kind.for_partner(partner, enrollments=[enrollment])) == []
    assert list(kind.due_items(date.today() + timedelta(days=365), [partner.pk])) == []


def test_another_partners_plan_page_is_404_and_a_colleague_is_refused(client, staff):
    _, supervisor = staff
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = suspend(partner, supervisor)
    other = PartnerFactory(field_office=supervisor.field_office, security=False)
    outsider = officer_of(other)
    client.force_login(outsider)
    url = reverse("partners:plan_edit", args=[partner.pk, enrollment.pk])
    assert client.get(url).status_code == 404
    url = reverse("partners:plan_edit", args=[other.pk, enrollment.pk])
    assert client.get(url).status_code == 404
    colleague = MembershipFactory(partner=partner, role="user").user
    client.force_login(colleague)
    assert (
        client.get(reverse("partners:plan_edit", args=[partner.pk, enrollment.pk])).status_code
        == 403
    )


# --- Appeals ----------------------------------------------------------------------------


def test_an_upheld_appeal_reopens_a_rejected_application(partner, staff):
    specialist, supervisor = staff
    enrollment = security_of(partner)
    reject(enrollment, specialist)
    officer = officer_of(partner)
    appeal = services.appeal_file(enrollment=enrollment, actor=officer, grounds="It was complete")
    with pytest.raises(DomainError, match="already been appealed"):
        services.appeal_file(enrollment=enrollment, actor=officer, grounds="Again")
    with pytest.raises(DomainError, match="waiting for CBP"):
        services.enrollment_reapply(partner=partner, actor=specialist, reason="x")
    with pytest.raises(DomainError):
        services.appeal_decide(appeal=appeal, actor=specialist, upheld=True, reason="x")
    services.appeal_decide(appeal=appeal, actor=supervisor, upheld=True, reason="It was")
    enrollment.refresh_from_db()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD
    assert enrollment.status == Status.UNDER_REVIEW
    assert EnrollmentEvent.objects.filter(enrollment=enrollment, move="reopen").exists()
    with pytest.raises(DomainError, match="already decided"):
        services.appeal_decide(appeal=appeal, actor=supervisor, upheld=False, reason="x")


def test_an_upheld_appeal_of_a_suspension_reinstates_and_a_denied_one_does_not(staff):
    _, supervisor = staff
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = suspend(partner, supervisor)
    officer = officer_of(partner)
    appeal = services.appeal_file(enrollment=enrollment, actor=officer, grounds="Not our seal")
    services.appeal_decide(appeal=appeal, actor=supervisor, upheld=False, reason="It was")
    enrollment.refresh_from_db()
    assert enrollment.status == Status.SUSPENDED
    with pytest.raises(DomainError, match="already been appealed"):
        services.appeal_file(enrollment=enrollment, actor=officer, grounds="Again")

    other = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = suspend(other, supervisor)
    appeal = services.appeal_file(
        enrollment=enrollment, actor=officer_of(other), grounds="Not our seal"
    )
    services.appeal_decide(appeal=appeal, actor=supervisor, upheld=True, reason="Lab error")
    enrollment.refresh_from_db()
    assert enrollment.status == Status.VALIDATED


def test_an_appeal_after_the_window_is_refused(partner, staff):
    specialist, _ = staff
    enrollment = security_of(partner)
    reject(enrollment, specialist)
    officer = officer_of(partner)
    later = date.today() + timedelta(days=31)
    at = datetime(later.year, later.month, later.day, 12, tzinfo=UTC)
    with time_machine.travel(at), pytest.raises(DomainError, match="time to appeal ended"):
        services.appeal_file(enrollment=enrollment, actor=officer, grounds="Late")
    assert not Appeal.objects.exists()


def test_only_the_company_officer_files_an_appeal_and_not_of_a_good_standing(partner, staff):
    specialist, _ = staff
    enrollment = security_of(partner)
    officer = officer_of(partner)
    with pytest.raises(DomainError, match="Only a suspension or a rejected"):
        services.appeal_file(enrollment=enrollment, actor=officer, grounds="x")
    reject(enrollment, specialist)
    user = MembershipFactory(partner=partner, role="user").user
    with pytest.raises(DomainError, match="company officer"):
        services.appeal_file(enrollment=enrollment, actor=user, grounds="x")


def test_the_appeal_decision_deadline_is_cbps(partner, staff):
    specialist, _ = staff
    enrollment = security_of(partner)
    reject(enrollment, specialist)
    appeal = services.appeal_file(
        enrollment=enrollment, actor=officer_of(partner), grounds="Complete"
    )
    kind = next(k for k in KINDS if k.code == "appeal_decision")
    (deadline,) = kind.for_partner(partner, enrollments=[enrollment])
    assert deadline.due_on == appeal.filed_on + timedelta(days=90)
    (item,) = kind.due_items(date.today() + timedelta(days=365), [partner.pk])
    assert item.key == deadline.key


def test_another_partners_appeal_page_is_404(client, staff):
    _, supervisor = staff
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    appeal = services.appeal_file(
        enrollment=suspend(partner, supervisor), actor=officer_of(partner), grounds="x"
    )
    other = PartnerFactory(security=False)
    client.force_login(UserFactory(supervisor=True, field_office=other.field_office))
    assert (
        client.get(reverse("partners:appeal_decide", args=[partner.pk, appeal.pk])).status_code
        == 404
    )
    client.force_login(supervisor)
    assert (
        client.get(reverse("partners:appeal_decide", args=[other.pk, appeal.pk])).status_code == 404
    )
    assert (
        client.get(reverse("partners:appeal_decide", args=[partner.pk, appeal.pk])).status_code
        == 200
    )


# --- For-cause validations of suspended partners -----------------------------------------


def test_a_suspended_partner_gets_a_for_cause_validation_only(staff):
    from validations import services as validations

    specialist, supervisor = staff
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = suspend(partner, supervisor)
    start = date.today() + timedelta(days=10)
    plan = {
        "actor": supervisor,
        "enrollment": enrollment,
        "mode": "on_site",
        "lead": specialist,
        "planned_start": start,
        "planned_end": start + timedelta(days=1),
    }
    with pytest.raises(DomainError, match="only a for-cause validation"):
        validations.validation_plan(kind="revalidation", **plan)
    validation = validations.validation_plan(kind="for_cause", **plan)
    assert validation.get_kind_display() == "For cause"


def test_a_rejected_trade_compliance_applicant_answers_the_questionnaire_again(staff):
    from tests.partners.test_enrollment_moves import YES, eligible_importer

    specialist, _ = staff
    partner = eligible_importer(specialist.field_office)
    first = services.trade_compliance_apply(partner=partner, actor=specialist, answers=YES)
    with pytest.raises(DomainError, match="already has a Trade Compliance enrollment"):
        services.trade_compliance_apply(partner=partner, actor=specialist, answers=YES)
    reject(first, specialist)
    partner = type(partner).objects.get(pk=partner.pk)
    second = services.trade_compliance_apply(partner=partner, actor=specialist, answers=YES)
    assert (second.attempt, second.is_current) == (2, True)
    assert second.eligibility_answers.count() == len(YES)


@pytest.mark.parametrize("count", [1, 6])
def test_the_partner_page_query_count_does_not_grow_with_attempts_plans_or_appeals(
    client, staff, django_assert_max_num_queries, count
):
    specialist, supervisor = staff
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    officer = officer_of(partner)
    for n in range(count):  # earlier attempts, each with an appeal decided
        earlier = EnrollmentFactory(
            partner=partner, status="rejected", attempt=n + 1, is_current=False
        )
        event = EnrollmentEvent.objects.create(
            enrollment=earlier, move="reject", to_status="rejected", actor=specialist
        )
        Appeal.objects.create(
            enrollment=earlier,
            decision=event,
            appealed_status="rejected",
            grounds=f"Grounds {n}",
            filed_by=officer,
            filed_on=date.today(),
            status="denied",
        )
    current = EnrollmentFactory(
        partner=partner,
        attempt=count + 1,
        status="suspended",
        status_before_suspension="certified",
        certified_on=date.today() - timedelta(days=300),
        tier=1,
        suspended_on=date.today() - timedelta(days=5),
    )
    plan = CorrectiveActionPlanFactory(enrollment=current, submitted=True)
    for n in range(count):
        plan.actions.create(objective=f"Objective {n}", owner="Ops", due_on=date.today())
    client.force_login(supervisor)
    # Bounded, whatever the number of attempts, appeals and objectives.
    with django_assert_max_num_queries(46):
        response = client.get(reverse("partners:detail", args=[partner.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="earlier-attempt"') == count
