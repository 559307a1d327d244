"""Statuses read properly in sentences (issue 15, "words").

A status label names a value in a list or on a badge ("Applicant", "Submitted, awaiting
CBP"); lowered into a sentence it reads badly ("The enrollment is applicant.", "The plan is
submitted, awaiting cbp."). Each status set has a `*_STATE` map worded to follow "is" (and
"was"), and the sentences the rules and services build use it.
"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from benefits.choices import PROPOSAL_STATE, ProposalStatus
from benefits.eligibility import Standing, condition_met
from ctpat.errors import DomainError
from forced_labor.choices import SUBMISSION_STATE, SubmissionStatus
from partners import permissions as partner_rules
from partners import services as partner_services
from partners.choices import (
    APPEAL_STATE,
    ENROLLMENT_STATE,
    PLAN_STATE,
    AppealStatus,
    PlanStatus,
    Status,
)
from partners.models import Appeal, EnrollmentEvent
from tests.factories import (
    CorrectiveActionPlanFactory,
    EnrollmentFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    ValidationFactory,
)
from validations import permissions as validation_rules
from validations.choices import (
    ACTION_DONE,
    ACTION_STATE,
    ACTION_TRANSITIONS,
    REQUEST_STATE,
    VALIDATION_STATE,
    ActionStatus,
    RequestStatus,
)
from validations.choices import Status as ValidationStatus

ROOT = Path(__file__).resolve().parent.parent
STATES = [
    (Status, ENROLLMENT_STATE),
    (PlanStatus, PLAN_STATE),
    (AppealStatus, APPEAL_STATE),
    (ValidationStatus, VALIDATION_STATE),
    (ActionStatus, ACTION_STATE),
    (RequestStatus, REQUEST_STATE),
    (SubmissionStatus, SUBMISSION_STATE),
    (ProposalStatus, PROPOSAL_STATE),
]


@pytest.mark.parametrize("choices,states", STATES, ids=[c.__name__ for c, _ in STATES])
def test_every_status_has_words_that_follow_is(choices, states):
    assert set(states) == set(choices)
    for status, words in states.items():
        text = str(words)
        assert text == text.strip() and text[0].islower(), (status, text)
        assert "cbp" not in text, text  # an acronym keeps its capitals
        assert not text.endswith("."), text


def test_every_move_a_required_action_makes_has_its_words():
    targets = set().union(*ACTION_TRANSITIONS.values())
    assert targets == set(ACTION_DONE)


# Files that build a sentence from a status label: each status set has its words instead.
# deadlines/ belongs to the consequences work under way beside this change; its messages
# only name decided statuses ("already approved by ..."), which read as they are.
LOWERED_LABEL = re.compile(
    r"get_(\w*)status_display\(\)\.lower\(\)|Status\([^)]*\)\.label\.lower\(\)"
)


def test_no_sentence_lowers_a_status_label():
    found = []
    for app in ("partners", "validations", "forced_labor", "benefits", "accounts", "ctpat"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if LOWERED_LABEL.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


pytestmark = pytest.mark.django_db


def test_a_refused_enrollment_move_names_the_move_and_the_state():
    office = UserFactory(specialist=True)
    enrollment = PartnerFactory(field_office=office.field_office).enrollments.get()
    with pytest.raises(DomainError) as refused:
        partner_services.enrollment_certify(enrollment=enrollment, actor=office, reason="Soon")
    assert refused.value.message == (
        "“Certify (Tier 1)” is not possible: the Security enrollment is an application not "
        "yet under review."
    )


def test_applying_again_says_what_the_open_enrollment_is():
    partner = PartnerFactory(security={"status": "under_review"})
    verdict = partner_rules.may_apply_again(partner, "security")
    assert verdict.reason == (
        f"{partner.legal_name} already has a Security enrollment, which is under review."
    )
    removed = PartnerFactory(security={"status": "removed"})
    removed.enrollments.update(status_changed_at=removed.enrollments.get().status_changed_at)
    reason = partner_rules.may_apply_again(removed, "security").reason
    assert reason.startswith("After the Security enrollment was removed from the program, ")


def suspended_enrollment():
    return EnrollmentFactory(
        status="suspended",
        status_before_suspension="certified",
        certified_on=date.today() - timedelta(days=300),
        tier=1,
        suspended_on=date.today() - timedelta(days=3),
    )


def test_the_plan_sentences_read():
    plan = CorrectiveActionPlanFactory(enrollment=suspended_enrollment(), submitted=True)
    officer = MembershipFactory(partner=plan.enrollment.partner, officer=True).user
    verdict = partner_rules.can_submit_corrective_action_plan(officer, plan.enrollment)
    assert verdict.reason == "The corrective action plan is submitted and awaiting CBP's decision."
    draft = CorrectiveActionPlanFactory(enrollment=suspended_enrollment())
    supervisor = UserFactory(supervisor=True, field_office=draft.enrollment.partner.field_office)
    verdict = partner_rules.can_decide_corrective_action_plan(supervisor, draft)
    assert verdict.reason == "Only a submitted plan can be decided; this one is still a draft."


def test_a_decided_appeal_says_how_it_was_decided():
    enrollment = suspended_enrollment()
    appeal = Appeal.objects.create(
        enrollment=enrollment,
        decision=EnrollmentEvent.objects.create(
            enrollment=enrollment, move="suspend", to_status="suspended"
        ),
        appealed_status="suspended",
        grounds="Grounds",
        filed_by=UserFactory(partner=True),
        filed_on=date.today(),
        status="upheld",
    )
    supervisor = UserFactory(supervisor=True, field_office=enrollment.partner.field_office)
    verdict = partner_rules.can_decide_appeal(supervisor, appeal)
    assert verdict.reason == "This appeal is already decided: it was upheld."


def test_the_validation_sentences_read():
    validation = ValidationFactory(status="documents_requested")
    verdict = validation_rules.can_make_move(validation.lead, validation, "draft")
    assert verdict.reason == (
        "“Start drafting the report” is not possible: the validation is waiting for documents "
        "from the partner."
    )
    applicant = PartnerFactory(field_office=validation.lead.field_office)
    supervisor = UserFactory(supervisor=True, field_office=applicant.field_office)
    verdict = validation_rules.can_plan_validation(supervisor, applicant, "initial")
    assert verdict.reason == (
        f"{applicant} cannot be validated while its Security enrollment is an application "
        "not yet under review; it must be certified or validated."
    )


def test_the_required_action_and_request_sentences_read():
    from validations.models import DocumentRequest, Finding, RequiredAction
    from validations.selectors import criteria_in_force

    validation = ValidationFactory(status="approved")
    version = criteria_in_force(validation.enrollment.partner.entity_type, date.today())[0]
    finding = Finding.objects.create(
        validation=validation, criterion_version=version, result="required_action"
    )
    action = RequiredAction.objects.create(finding=finding, due_on=date.today(), status="accepted")
    verdict = validation_rules.action_may_become(action, ActionStatus.RESPONSE_SUBMITTED)
    assert verdict.reason == "This required action is accepted, so it cannot be answered."
    action.status = "open"
    verdict = validation_rules.action_may_become(action, ActionStatus.ACCEPTED)
    assert verdict.reason == (
        "This required action is open, waiting for the partner's answer, so it cannot be accepted."
    )
    request = DocumentRequest.objects.create(
        validation=validation,
        name="Seal log",
        due_on=date.today(),
        requested_by=validation.lead,
        status="uploaded",
    )
    verdict = validation_rules.can_use_document_on_file(validation.lead, request)
    assert verdict.reason == "This document request is already answered with an upload."


def test_benefit_reasons_read():
    standing = Standing(
        security_status="removed", tier=None, trade_compliance_status="applicant",
        documentation_accepted=False,
    )  # fmt: skip
    assert condition_met("security_tier_2", standing) == (
        False,
        "needs Security Tier 2 or above; Security is removed from the program",
    )
    assert condition_met("trade_compliance", standing) == (
        False,
        "needs Trade Compliance accepted; it is an application not yet under review",
    )
