from datetime import date, timedelta

import pytest

from ctpat.errors import DomainError
from partners import services
from partners.choices import ELIGIBILITY_QUESTIONS, Move, Program, Status
from partners.models import EnrollmentEvent
from tests.factories import (
    CorrectiveActionPlanFactory,
    EnrollmentFactory,
    PartnerFactory,
    UserFactory,
    accepted_profile,
)

pytestmark = pytest.mark.django_db

YES = {code: True for code, _ in ELIGIBILITY_QUESTIONS}


@pytest.fixture
def office_staff():
    specialist = UserFactory(specialist=True)
    supervisor = UserFactory(supervisor=True, field_office=specialist.field_office)
    return specialist, supervisor


def security_of(partner):
    return partner.enrollments.get(program=Program.SECURITY)


def test_a_specialist_moves_an_application_to_certified_and_each_move_is_recorded(office_staff):
    specialist, _ = office_staff
    partner = PartnerFactory(field_office=specialist.field_office)
    enrollment = security_of(partner)
    accepted_profile(partner)
    services.enrollment_start_review(enrollment=enrollment, actor=specialist, reason="Complete")
    services.enrollment_certify(enrollment=enrollment, actor=specialist, reason="Meets criteria")
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.tier) == (Status.CERTIFIED, 1)
    assert enrollment.certified_on == date.today()
    events = list(EnrollmentEvent.objects.filter(enrollment=enrollment).order_by("at", "pk"))
    assert [(e.from_status, e.to_status, e.actor, e.reason) for e in events] == [
        ("applicant", "under_review", specialist, "Complete"),
        ("under_review", "certified", specialist, "Meets criteria"),
    ]


def test_a_forbidden_move_is_refused_with_a_readable_message_and_changes_nothing(office_staff):
    specialist, _ = office_staff
    enrollment = security_of(PartnerFactory(field_office=specialist.field_office))
    with pytest.raises(
        DomainError,
        match="is not possible: the Security enrollment is an application not yet under review",
    ):
        services.enrollment_certify(enrollment=enrollment, actor=specialist, reason="Too soon")
    enrollment.refresh_from_db()
    assert enrollment.status == Status.APPLICANT
    assert not EnrollmentEvent.objects.filter(enrollment=enrollment, move=Move.CERTIFY).exists()


def test_only_supervisors_suspend(office_staff):
    specialist, supervisor = office_staff
    enrollment = EnrollmentFactory(validated=True, partner__field_office=specialist.field_office)
    with pytest.raises(DomainError, match="Your role may not suspend"):
        services.enrollment_suspend(
            enrollment=enrollment, actor=specialist, reason="x", cause="incident"
        )
    services.enrollment_suspend(
        enrollment=enrollment, actor=supervisor, reason="Seizure", cause="incident"
    )
    enrollment.refresh_from_db()
    assert enrollment.status == Status.SUSPENDED


def test_staff_of_another_field_office_cannot_move_the_enrollment(office_staff):
    _, supervisor = office_staff
    enrollment = EnrollmentFactory(validated=True)  # another office
    with pytest.raises(DomainError, match="another field office"):
        services.enrollment_suspend(
            enrollment=enrollment, actor=supervisor, reason="x", cause="incident"
        )


def test_a_decision_needs_a_reason(office_staff):
    specialist, _ = office_staff
    enrollment = security_of(PartnerFactory(field_office=specialist.field_office))
    with pytest.raises(DomainError, match="Give a reason"):
        services.enrollment_start_review(enrollment=enrollment, actor=specialist, reason="  ")


def test_a_decision_cannot_be_dated_in_the_future_or_before_the_application(office_staff):
    specialist, _ = office_staff
    enrollment = EnrollmentFactory(
        status="under_review", partner__field_office=specialist.field_office
    )
    accepted_profile(enrollment.partner, answers=False)
    with pytest.raises(DomainError, match="future"):
        services.enrollment_certify(
            enrollment=enrollment, actor=specialist, reason="x", on=date.today() + timedelta(1)
        )
    with pytest.raises(DomainError, match="before the application"):
        services.enrollment_certify(
            enrollment=enrollment,
            actor=specialist,
            reason="x",
            on=enrollment.applied_on - timedelta(1),
        )


def test_validation_sets_tier_2_or_3_only(office_staff):
    _, supervisor = office_staff
    enrollment = EnrollmentFactory(certified=True, partner__field_office=supervisor.field_office)
    with pytest.raises(DomainError, match="Tier 2 or Tier 3"):
        services.enrollment_validate(enrollment=enrollment, actor=supervisor, tier=1, reason="x")
    services.enrollment_validate(enrollment=enrollment, actor=supervisor, tier=3, reason="Exceeds")
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.tier) == (Status.VALIDATED, 3)


def test_reinstatement_returns_to_the_status_held_before_suspension(office_staff):
    _, supervisor = office_staff
    enrollment = EnrollmentFactory(validated=True, partner__field_office=supervisor.field_office)
    services.enrollment_suspend(
        enrollment=enrollment, actor=supervisor, reason="Seizure", cause="incident"
    )
    enrollment.refresh_from_db()
    CorrectiveActionPlanFactory(enrollment=enrollment, accepted=True)
    services.enrollment_reinstate(enrollment=enrollment, actor=supervisor, reason="Plan accepted")
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.tier, enrollment.suspended_on) == ("validated", 2, None)


def test_suspending_security_suspends_trade_compliance_as_its_consequence(office_staff):
    _, supervisor = office_staff
    security = EnrollmentFactory(validated=True, partner__field_office=supervisor.field_office)
    trade = EnrollmentFactory(partner=security.partner, trade_accepted=True)
    event = services.enrollment_suspend(
        enrollment=security, actor=supervisor, reason="Seizure", cause="incident"
    )
    trade.refresh_from_db()
    assert trade.status == Status.SUSPENDED
    consequence = EnrollmentEvent.objects.get(enrollment=trade)
    assert consequence.caused_by == event
    assert "Security was suspended: Seizure" in consequence.reason


def test_removing_security_suspends_trade_compliance(office_staff):
    _, supervisor = office_staff
    security = EnrollmentFactory(validated=True, partner__field_office=supervisor.field_office)
    trade = EnrollmentFactory(partner=security.partner, trade_accepted=True)
    services.enrollment_remove(enrollment=security, actor=supervisor, reason="Failed validation")
    trade.refresh_from_db()
    assert trade.status == Status.SUSPENDED


def test_closed_enrollments_go_nowhere(office_staff):
    _, supervisor = office_staff
    enrollment = EnrollmentFactory(status="removed", partner__field_office=supervisor.field_office)
    with pytest.raises(DomainError, match="Only a suspended enrollment can be reinstated"):
        services.enrollment_reinstate(enrollment=enrollment, actor=supervisor, reason="x")
    with pytest.raises(
        DomainError,
        match="“Suspend” is not possible: the Security enrollment is removed from the program.",
    ):
        services.enrollment_suspend(
            enrollment=enrollment, actor=supervisor, reason="x", cause="incident"
        )


# --- Trade Compliance eligibility ---------------------------------------------------


def accept_forced_labor_documentation(partner, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forced_labor import services as forced_labor
    from forced_labor.selectors import requirements_in_force
    from tests.factories import MembershipFactory, pdf_bytes

    member = MembershipFactory(partner=partner).user
    for version in requirements_in_force():
        if version.handling != "uploaded":
            continue
        submission = forced_labor.submission_create(
            actor=member,
            partner=partner,
            requirement=version.requirement,
            title="Doc",
            effective_on=date.today(),
            files=[SimpleUploadedFile("d.pdf", pdf_bytes())],
            public_url="https://example.com/code",
        )
        forced_labor.submission_review(actor=reviewer, submission=submission, accept=True)


def eligible_importer(office):
    partner = PartnerFactory(field_office=office, security=False)
    EnrollmentFactory(partner=partner, validated=True)
    return partner


def test_an_eligible_importer_applies_and_its_answers_are_recorded(office_staff):
    specialist, supervisor = office_staff
    partner = eligible_importer(specialist.field_office)
    trade = services.trade_compliance_apply(partner=partner, actor=specialist, answers=YES)
    assert trade.status == Status.APPLICANT
    assert trade.eligibility_answers.filter(answer=True).count() == len(ELIGIBILITY_QUESTIONS)
    services.enrollment_start_review(enrollment=trade, actor=specialist, reason="ok")
    with pytest.raises(DomainError, match="Forced-labor documentation is not accepted yet"):
        services.enrollment_accept(enrollment=trade, actor=supervisor, reason="Eligible")
    accept_forced_labor_documentation(partner, specialist)
    services.enrollment_accept(enrollment=trade, actor=supervisor, reason="Eligible")
    trade.refresh_from_db()
    assert trade.status == Status.ACCEPTED


@pytest.mark.parametrize(
    "change,message",
    [
        ({"entity_type": "exporter"}, "open to importers only"),
        ({"has_unpaid_cbp_debt": True}, "unpaid CBP debt"),
        ({"importing_since": date.today() - timedelta(days=300)}, "2 years of import history"),
        ({"importing_since": None}, "2 years of import history"),
    ],
)
def test_each_failed_eligibility_rule_has_its_own_message(office_staff, change, message):
    specialist, _ = office_staff
    partner = eligible_importer(specialist.field_office)
    for field, value in change.items():
        setattr(partner, field, value)
    partner.save()
    with pytest.raises(DomainError, match=message):
        services.trade_compliance_apply(partner=partner, actor=specialist, answers=YES)
    assert not partner.enrollments.filter(program=Program.TRADE_COMPLIANCE).exists()


def test_trade_compliance_needs_security_at_tier_2_in_good_standing(office_staff):
    specialist, _ = office_staff
    partner = PartnerFactory(field_office=specialist.field_office, security={"certified": True})
    with pytest.raises(DomainError, match="Tier 2 or 3 in good standing"):
        services.trade_compliance_apply(partner=partner, actor=specialist, answers=YES)


def test_every_questionnaire_answer_must_be_yes(office_staff):
    specialist, _ = office_staff
    partner = eligible_importer(specialist.field_office)
    answers = YES | {"records": False}
    with pytest.raises(DomainError, match='needs "yes" to: The company keeps import records'):
        services.trade_compliance_apply(partner=partner, actor=specialist, answers=answers)


def test_acceptance_rechecks_eligibility(office_staff):
    specialist, supervisor = office_staff
    partner = eligible_importer(specialist.field_office)
    trade = services.trade_compliance_apply(partner=partner, actor=specialist, answers=YES)
    services.enrollment_start_review(enrollment=trade, actor=specialist, reason="ok")
    partner.has_unpaid_cbp_debt = True
    partner.save()
    with pytest.raises(DomainError, match="not eligible now: The partner has unpaid CBP debt"):
        services.enrollment_accept(enrollment=trade, actor=supervisor, reason="x")


def test_a_partner_has_one_trade_compliance_enrollment(office_staff):
    specialist, _ = office_staff
    partner = eligible_importer(specialist.field_office)
    services.trade_compliance_apply(partner=partner, actor=specialist, answers=YES)
    with pytest.raises(DomainError, match="already has a Trade Compliance enrollment"):
        services.trade_compliance_apply(partner=partner, actor=specialist, answers=YES)


def test_the_partner_keeps_a_current_copy_of_its_program_statuses(office_staff):
    specialist, supervisor = office_staff
    partner = eligible_importer(specialist.field_office)
    trade = services.trade_compliance_apply(partner=partner, actor=specialist, answers=YES)
    security = partner.enrollments.get(program=Program.SECURITY)
    services.enrollment_suspend(
        enrollment=security, actor=supervisor, reason="Seizure", cause="incident"
    )

    def copy():
        partner.refresh_from_db()
        return partner.security_status, partner.security_tier, partner.trade_compliance_status

    security.refresh_from_db()
    trade.refresh_from_db()
    assert copy() == (security.status, security.tier, trade.status) == ("suspended", 2, "applicant")
    CorrectiveActionPlanFactory(enrollment=security, accepted=True)
    services.enrollment_reinstate(enrollment=security, actor=supervisor, reason="Plan accepted")
    assert copy() == ("validated", 2, "applicant")


def test_a_suspended_enrollment_is_not_certified_or_validated_again_only_reinstated(office_staff):
    _, supervisor = office_staff
    enrollment = EnrollmentFactory(validated=True, partner__field_office=supervisor.field_office)
    services.enrollment_suspend(
        enrollment=enrollment, actor=supervisor, reason="Seizure", cause="incident"
    )
    with pytest.raises(
        DomainError,
        match="“Record validation .Tier 2 or 3.” is not possible: the Security enrollment is suspended.",
    ):
        services.enrollment_validate(enrollment=enrollment, actor=supervisor, tier=2, reason="x")
