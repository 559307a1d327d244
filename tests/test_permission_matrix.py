"""Every action against every kind of person: the page offers it exactly when the service
allows it.

For each (action, person) the test builds the action's object in a state where the action
is possible for someone, opens the page that offers it as that person and looks for the
action's button or link (a `data-action` attribute or the action's URL), then calls the
service inside a savepoint that is rolled back. "Offered" and "allowed" must agree. The
test id names the pair that disagrees, e.g. `test_page_offers_what_the_service_allows[
validation-approve-other_supervisor]`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from accounts.permissions import can_view_audit_log
from benefits import services as benefit_services
from benefits.models import Agency, AgencyOffering, BenefitsReport, Proposal
from ctpat.errors import DomainError
from ctpat.permissions import require
from deadlines import services as deadline_services
from deadlines.models import Consequence, ExtensionRequest
from forced_labor import services as fl_services
from forced_labor.models import Requirement, RequirementVersion, Submission
from partners import services as partner_services
from partners.choices import ELIGIBILITY_QUESTIONS, MOVE_ROLES, Move
from partners.models import Appeal, Enrollment, EnrollmentEvent
from profiles import services as profile_services
from tests.factories import (
    CorrectiveActionPlanFactory,
    EnrollmentFactory,
    FieldOfficeFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    ValidationFactory,
    accepted_profile,
    pdf_bytes,
)
from validations import services as v_services
from validations.choices import Move as VMove
from validations.models import (
    CriterionVersion,
    DocumentRequest,
    DocumentUpload,
    Finding,
    IssuedReport,
    RequiredAction,
)

pytestmark = pytest.mark.django_db

PEOPLE = [
    "office_specialist",  # a specialist of the partner's office, not on the validation
    "other_office_specialist",
    "team_member",
    "lead",
    "approver",  # the validation's approving supervisor
    "other_supervisor",  # a supervisor of the same office who is not the approver
    "administrator",
    "company_officer",
    "partner_admin",
    "partner_user",
    "consultant",
    "other_partner_user",  # the company officer of another partner
]
TODAY = date.today()


class Rollback(Exception):
    """Raised to undo a service call that succeeded."""


@pytest.fixture(scope="module")
def _people(django_db_setup, django_db_blocker):
    """The people and the partner, made once for the module (in a transaction undone at
    its end); each test adds its object inside its own rolled-back transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        made = _make_world()
        yield made
        transaction.set_rollback(True)


@pytest.fixture
def world(_people, db):
    return _people


def _make_world():
    office, elsewhere = FieldOfficeFactory(), FieldOfficeFactory()
    people = {
        "office_specialist": UserFactory(specialist=True, field_office=office),
        "other_office_specialist": UserFactory(specialist=True, field_office=elsewhere),
        "team_member": UserFactory(specialist=True, field_office=office),
        "lead": UserFactory(specialist=True, field_office=office),
        "approver": UserFactory(supervisor=True, field_office=office),
        "other_supervisor": UserFactory(supervisor=True, field_office=office),
        "administrator": UserFactory(administrator=True),
    }
    partner = PartnerFactory(field_office=office, security=False, legal_name="Matrix Imports")
    for name, role in [
        ("company_officer", "company_officer"),
        ("partner_admin", "admin"),
        ("partner_user", "user"),
        ("consultant", "consultant"),
    ]:
        people[name] = MembershipFactory(partner=partner, role=role).user
    other = PartnerFactory(field_office=office, security=False, legal_name="Other Co.")
    people["other_partner_user"] = MembershipFactory(partner=other, officer=True).user
    return {"people": people, "partner": partner, "office": office}


@dataclass
class Action:
    """`setup(world)` returns the object; `page(obj)` the page's URL; `marker(obj)` what the
    page shows when it offers the action; `attempt(obj, actor)` calls the service."""

    name: str
    setup: Callable
    page: Callable
    marker: Callable
    attempt: Callable


def data_action(name):
    return lambda obj: f'data-action="{name}"'


def link_to(url_name, *args):
    return lambda obj: f'href="{reverse(url_name, args=[a(obj) for a in args])}"'


def pdf():
    return SimpleUploadedFile("evidence.pdf", pdf_bytes(), "application/pdf")


# --- Partners ---------------------------------------------------------------------------

ENROLLMENT_STATES = {
    Move.START_REVIEW: {"status": "applicant"},
    Move.CERTIFY: {"status": "under_review"},
    Move.VALIDATE: {"certified": True},
    Move.SUSPEND: {"certified": True},
    Move.REINSTATE: {
        "status": "suspended",
        "status_before_suspension": "certified",
        "certified_on": TODAY - timedelta(days=300),
        "tier": 1,
        "suspended_on": TODAY - timedelta(days=10),
    },
    Move.REMOVE: {"certified": True},
    Move.WITHDRAW: {"certified": True},
    Move.REJECT: {"status": "applicant"},
}


def enrollment_in(move):
    def setup(world):
        partner = world["partner"]
        if move == Move.ACCEPT:
            return trade_compliance_under_review(partner)
        enrollment = EnrollmentFactory(partner=partner, **ENROLLMENT_STATES[move])
        if move == Move.CERTIFY:  # certification needs an accepted Security Profile
            accepted_profile(partner, answers=False)
        if move == Move.REINSTATE:  # reinstatement needs an accepted plan
            CorrectiveActionPlanFactory(enrollment=enrollment, accepted=True)
        return enrollment

    return setup


def trade_compliance_under_review(partner):
    """An eligible Trade Compliance applicant: validated at Tier 2, its uploaded
    forced-labor documentation accepted."""
    EnrollmentFactory(partner=partner, validated=True)
    enrollment = EnrollmentFactory(
        partner=partner, program="trade_compliance", status="under_review"
    )
    officer = partner.memberships.get(role="company_officer").user
    for version in RequirementVersion.objects.filter(handling="uploaded").select_related(
        "requirement"
    ):
        Submission.objects.create(
            partner=partner,
            requirement=version.requirement,
            requirement_version=version,
            version=1,
            title="On file",
            effective_on=TODAY,
            submitted_by=officer,
            status="accepted",
            decision="accepted",
        )
    return enrollment


def move_enrollment(move):
    def attempt(enrollment, actor):
        extra = {"tier": 2} if move == Move.VALIDATE else {}
        if move == Move.SUSPEND:
            extra = {"cause": "incident"}
        partner_services.MOVE_SERVICES[move](
            enrollment=enrollment, actor=actor, reason="Matrix", **extra
        )

    return attempt


PARTNER_ACTIONS = [
    Action(
        f"enrollment-{move.value}",
        enrollment_in(move),
        lambda e: reverse("partners:detail", args=[e.partner_id]),
        data_action(f"enrollment-{move.value}"),
        move_enrollment(move),
    )
    for move in MOVE_ROLES
]


PARTNER_ACTIONS.append(
    Action(
        "enrollment-certify-without-an-accepted-profile",
        lambda world: EnrollmentFactory(partner=world["partner"], status="under_review"),
        lambda e: reverse("partners:detail", args=[e.partner_id]),
        data_action("enrollment-certify"),
        move_enrollment(Move.CERTIFY),
    )
)


def importer_without_trade_compliance(world):
    EnrollmentFactory(partner=world["partner"], validated=True)
    return world["partner"]


def annual(kind, days_ago):
    def setup(world):
        partner = world["partner"]
        if kind == "profile_review":
            return EnrollmentFactory(
                partner=partner, certified=True, certified_on=TODAY - timedelta(days=days_ago)
            )
        EnrollmentFactory(partner=partner, validated=True)
        return EnrollmentFactory(
            partner=partner, trade_accepted=True, accepted_on=TODAY - timedelta(days=days_ago)
        )

    return setup


def submit_annual(kind):
    def attempt(enrollment, actor):
        if kind == "profile_review":
            partner_services.profile_review_submit(
                enrollment=enrollment, actor=actor, statement="Nothing changed."
            )
        else:
            partner_services.notification_letter_submit(
                enrollment=enrollment, actor=actor, attestation="We still meet every rule."
            )

    return attempt


PARTNER_ACTIONS += [
    Action(
        "trade-compliance-apply",
        importer_without_trade_compliance,
        lambda p: reverse("partners:detail", args=[p.pk]),
        data_action("trade-compliance-apply"),
        lambda p, actor: partner_services.trade_compliance_apply(
            partner=p, actor=actor, answers={code: True for code, _ in ELIGIBILITY_QUESTIONS}
        ),
    ),
    Action(
        "second-factor-require",
        lambda world: world["partner"],
        lambda p: reverse("partners:detail", args=[p.pk]),
        data_action("second-factor-require"),
        lambda p, actor: partner_services.partner_second_factor_set(
            partner=p, actor=actor, required=True
        ),
    ),
    Action(
        "profile-review",
        annual("profile_review", 330),
        lambda e: reverse("partners:detail", args=[e.partner_id]),
        data_action("profile-review"),
        submit_annual("profile_review"),
    ),
    Action(
        "profile-review-before-its-window",
        annual("profile_review", 100),
        lambda e: reverse("partners:detail", args=[e.partner_id]),
        data_action("profile-review"),
        submit_annual("profile_review"),
    ),
    Action(
        "notification-letter",
        annual("notification_letter", 380),
        lambda e: reverse("partners:detail", args=[e.partner_id]),
        data_action("notification-letter"),
        submit_annual("notification_letter"),
    ),
]


def suspended(world, **more):
    return EnrollmentFactory(
        partner=world["partner"],
        status="suspended",
        status_before_suspension="certified",
        certified_on=TODAY - timedelta(days=300),
        tier=1,
        suspended_on=TODAY - timedelta(days=10),
        **more,
    )


def rejected(world):
    enrollment = EnrollmentFactory(partner=world["partner"], status="rejected")
    EnrollmentEvent.objects.create(
        enrollment=enrollment, move="reject", from_status="under_review", to_status="rejected"
    )
    return enrollment


def filed_appeal(world):
    enrollment = rejected(world)
    return Appeal.objects.create(
        enrollment=enrollment,
        decision=enrollment.events.get(),
        appealed_status="rejected",
        grounds="The profile was complete.",
        filed_by=world["people"]["company_officer"],
        filed_on=TODAY,
    )


PARTNER_ACTIONS += [
    Action(
        "enrollment-reapply",
        rejected,
        lambda e: reverse("partners:detail", args=[e.partner_id]),
        data_action("enrollment-reapply"),
        lambda e, actor: partner_services.enrollment_reapply(
            partner=e.partner, actor=actor, reason="Applies again"
        ),
    ),
    Action(
        "plan-edit",
        suspended,
        lambda e: reverse("partners:detail", args=[e.partner_id]),
        data_action("plan-edit"),
        lambda e, actor: partner_services.corrective_action_plan_save(
            enrollment=e,
            actor=actor,
            summary="Seals checked twice",
            actions=[{"objective": "Train staff", "owner": "Ops", "due_on": TODAY}],
            submit=True,
        ),
    ),
    Action(
        "plan-decide",
        lambda world: CorrectiveActionPlanFactory(enrollment=suspended(world), submitted=True),
        lambda plan: reverse("partners:detail", args=[plan.enrollment.partner_id]),
        data_action("plan-decide"),
        lambda plan, actor: partner_services.corrective_action_plan_decide(
            plan=plan, actor=actor, accept=True, reason="Answers the cause"
        ),
    ),
    Action(
        "appeal-file",
        rejected,
        lambda e: reverse("partners:detail", args=[e.partner_id]),
        data_action("appeal-file"),
        lambda e, actor: partner_services.appeal_file(
            enrollment=e, actor=actor, grounds="The profile was complete."
        ),
    ),
    Action(
        "appeal-decide",
        filed_appeal,
        lambda a: reverse("partners:detail", args=[a.enrollment.partner_id]),
        data_action("appeal-decide"),
        lambda a, actor: partner_services.appeal_decide(
            appeal=a, actor=actor, upheld=True, reason="The profile was complete."
        ),
    ),
]


# --- Validations ------------------------------------------------------------------------


def validation_in(status, **more):
    def setup(world):
        people, partner = world["people"], world["partner"]
        security = partner.enrollments.filter(program="security").first()
        validation = ValidationFactory(
            enrollment=security or EnrollmentFactory(partner=partner, certified=True),
            lead=people["lead"],
            approving_supervisor=people["approver"],
            status=status,
            **more,
        )
        validation.team.set([people["team_member"]])
        if status == "planned":
            DocumentRequest.objects.create(
                validation=validation,
                name="Seal log",
                due_on=TODAY + timedelta(days=5),
                requested_by=people["lead"],
            )
        return validation

    return setup


MOVE_STATES = {
    VMove.REQUEST_DOCUMENTS: "planned",
    VMove.START: "planned",
    VMove.DRAFT: "in_progress",
    VMove.SUBMIT: "report_drafting",
    VMove.RETURN: "supervisor_review",
    VMove.APPROVE: "supervisor_review",
    VMove.CLOSE: "approved",
    VMove.CANCEL: "in_progress",
}


def make_move(move):
    def attempt(validation, actor):
        kwargs = {"validation": validation, "actor": actor}
        if move != VMove.REQUEST_DOCUMENTS:
            kwargs["comment"] = "Matrix"
        if move == VMove.APPROVE:
            kwargs["tier"] = 2
        {
            VMove.REQUEST_DOCUMENTS: v_services.validation_request_documents,
            VMove.START: v_services.validation_start,
            VMove.DRAFT: v_services.validation_draft,
            VMove.SUBMIT: v_services.validation_submit,
            VMove.RETURN: v_services.validation_return,
            VMove.APPROVE: v_services.validation_approve,
            VMove.CLOSE: v_services.validation_close,
            VMove.CANCEL: v_services.validation_cancel,
        }[move](**kwargs)

    return attempt


def validation_page(obj):
    validation = getattr(obj, "validation", obj)
    if isinstance(obj, RequiredAction):
        validation = obj.finding.validation
    return reverse("validations:detail", args=[validation.pk])


MOVE_EXTRAS = {
    VMove.CLOSE: {"approved_on": TODAY},
    # Approval waits for the visit to begin (validations.permissions.ready_for_approval).
    VMove.APPROVE: {"planned_start": TODAY - timedelta(days=2), "planned_end": TODAY},
}

VALIDATION_ACTIONS = [
    Action(
        f"validation-{move.value}",
        validation_in(MOVE_STATES[move], **MOVE_EXTRAS.get(move, {})),
        validation_page,
        data_action(f"validation-{move.value}"),
        make_move(move),
    )
    for move in VMove
]


def request_in(status, on_file=False):
    def setup(world):
        validation = validation_in("documents_requested")(world)
        if on_file:
            earlier = validation_in("closed")(world)
            old = DocumentRequest.objects.create(
                validation=earlier,
                name="Old seal log",
                due_on=TODAY,
                requested_by=world["people"]["lead"],
                status="uploaded",
            )
            DocumentUpload.objects.create(
                request=old,
                stored_name="matrix/old.pdf",
                original_name="old.pdf",
                kind="pdf",
                size=10,
                sha256="0" * 64,
                uploaded_by=world["people"]["company_officer"],
                scan_status="clean",
            )
        return DocumentRequest.objects.create(
            validation=validation,
            name="Training records",
            due_on=TODAY + timedelta(days=5),
            requested_by=world["people"]["lead"],
            status=status,
        )

    return setup


def action_in(status):
    def setup(world):
        validation = validation_in("approved", approved_on=TODAY)(world)
        finding = Finding.objects.create(
            validation=validation,
            criterion_version=CriterionVersion.objects.first(),
            result="required_action",
            narrative="Seal log incomplete",
        )
        return RequiredAction.objects.create(
            finding=finding,
            due_on=TODAY + timedelta(days=90),
            status=status,
            response="Done." if status == "response_submitted" else "",
        )

    return setup


def failed_report(world):
    validation = validation_in("approved", approved_on=TODAY)(world)
    return IssuedReport.objects.create(
        validation=validation,
        version=1,
        snapshot={},
        requested_by=world["people"]["approver"],
        status="failed",
        error="Matrix",
    )


def plan_page(partner):
    return reverse("validations:plan", args=[partner.pk])


def planning(security):
    def setup(world):
        EnrollmentFactory(partner=world["partner"], **security)
        return world["partner"]

    return setup


def plan(partner, actor, kind="initial"):
    start = TODAY + timedelta(days=30)
    v_services.validation_plan(
        actor=actor,
        enrollment=partner.enrollments.get(program="security"),
        kind=kind,
        mode="on_site",
        lead=partner.validation_lead,
        planned_start=start,
        planned_end=start + timedelta(days=1),
    )


VALIDATION_ACTIONS += [
    # Planning is offered by the plan page's form (the partner page's link belongs to the
    # link registry; see test_the_partner_page_links_to_planning_only_when_it_is_allowed).
    Action(
        "plan-validation",
        planning({"certified": True}),
        plan_page,
        lambda p: 'name="planned_start"',
        plan,
    ),
    Action(
        "plan-validation-of-a-suspended-partner",  # for cause only (issue 15)
        planning(ENROLLMENT_STATES[Move.REINSTATE]),
        plan_page,
        lambda p: 'name="planned_start"',
        lambda p, actor: plan(p, actor, kind="for_cause"),
    ),
    Action(
        "record-findings",
        validation_in("in_progress"),
        validation_page,
        data_action("record-findings"),
        lambda v, actor: v_services.findings_record(validation=v, actor=actor, results={}),
    ),
    Action(
        "request-add",
        validation_in("documents_requested"),
        validation_page,
        data_action("request-add"),
        lambda v, actor: v_services.document_request_add(
            validation=v,
            actor=actor,
            name="Another",
            description="",
            due_on=TODAY + timedelta(days=3),
        ),
    ),
    Action(
        "request-upload",
        request_in("requested"),
        validation_page,
        data_action("request-upload"),
        lambda r, actor: v_services.document_upload(request=r, actor=actor, file=pdf()),
    ),
    Action(
        "request-withdraw",
        request_in("requested"),
        validation_page,
        data_action("request-withdraw"),
        lambda r, actor: v_services.document_request_withdraw(
            request=r, actor=actor, reason="Seen on site."
        ),
    ),
    Action(
        "validation-approve-before-the-visit",
        validation_in("supervisor_review"),
        validation_page,
        data_action("validation-approve"),
        make_move(VMove.APPROVE),
    ),
    Action(
        "request-on-file",
        request_in("requested", on_file=True),
        validation_page,
        data_action("request-on-file"),
        lambda r, actor: v_services.document_request_satisfy_on_file(
            request=r, actor=actor, upload=DocumentUpload.objects.get(original_name="old.pdf")
        ),
    ),
    Action(
        "action-respond",
        action_in("open"),
        validation_page,
        data_action("action-respond"),
        lambda a, actor: v_services.required_action_respond(
            action=a, actor=actor, response="Fixed."
        ),
    ),
    Action(
        "action-decide",
        action_in("response_submitted"),
        validation_page,
        data_action("action-decide"),
        lambda a, actor: v_services.required_action_decide(action=a, actor=actor, accept=True),
    ),
    Action(
        "report-issue",
        validation_in("approved", approved_on=TODAY),
        validation_page,
        data_action("report-issue"),
        lambda v, actor: v_services.report_issue(validation=v, actor=actor),
    ),
    Action(
        "report-retry",
        failed_report,
        validation_page,
        data_action("report-retry"),
        lambda r, actor: v_services.report_retry(report=r, actor=actor),
    ),
]


# --- Forced labor -----------------------------------------------------------------------


def trade_compliance_partner(world):
    EnrollmentFactory(partner=world["partner"], validated=True)
    EnrollmentFactory(partner=world["partner"], program="trade_compliance", status="under_review")
    return world["partner"]


def requirement(number):
    def setup(world):
        partner = trade_compliance_partner(world)
        partner.matrix_requirement = Requirement.objects.get(number=number)
        return partner

    return setup


def upload(partner, actor):
    fl_services.submission_create(
        actor=actor,
        partner=partner,
        requirement=partner.matrix_requirement,
        title="Evidence",
        effective_on=TODAY,
        files=[pdf()],
    )


def waiting_submission(world):
    partner = trade_compliance_partner(world)
    version = RequirementVersion.objects.filter(requirement__number=3).first()
    return Submission.objects.create(
        partner=partner,
        requirement=version.requirement,
        requirement_version=version,
        version=1,
        title="Evidence",
        effective_on=TODAY,
        submitted_by=world["people"]["company_officer"],
    )


def forced_labor_page(obj):
    return reverse("forced_labor:partner", args=[getattr(obj, "partner_id", obj.pk)])


FORCED_LABOR_ACTIONS = [
    Action(
        "submission-upload",
        requirement(3),
        forced_labor_page,
        lambda p: f'href="{reverse("forced_labor:submit", args=[p.pk, p.matrix_requirement.pk])}"',
        upload,
    ),
    Action(
        "submission-upload-kept-on-request",
        requirement(1),
        forced_labor_page,
        lambda p: f'href="{reverse("forced_labor:submit", args=[p.pk, p.matrix_requirement.pk])}"',
        upload,
    ),
    Action(
        "submission-review",
        waiting_submission,
        forced_labor_page,
        data_action("submission-review"),
        lambda s, actor: fl_services.submission_review(actor=actor, submission=s, accept=True),
    ),
    Action(
        "risk-check",
        trade_compliance_partner,
        forced_labor_page,
        data_action("risk-check"),
        lambda p, actor: fl_services.risk_assessment_check(
            actor=actor, partner=p, checked_on=TODAY
        ),
    ),
]


# --- Benefits ---------------------------------------------------------------------------


def benefits_partner(world):
    EnrollmentFactory(partner=world["partner"], validated=True)
    return world["partner"]


def offering():
    agency = Agency.objects.create(code="FDA", name="Food and Drug Administration")
    return AgencyOffering.objects.create(agency=agency, name="Pilot", kind="pilot", description="-")


def proposal(world):
    return Proposal.objects.create(
        title="Front of the line",
        sponsor_kind="industry",
        sponsor="COAC",
        program="security",
        rationale="Faster",
        metric="examination_rate",
        created_by=world["people"]["administrator"],
    )


def last_month():
    return (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)


BENEFIT_ACTIONS = [
    Action(
        "observation-add",
        benefits_partner,
        lambda p: reverse("benefits:partner", args=[p.pk]),
        data_action("observation-add"),
        lambda p, actor: benefit_services.observation_record(
            actor=actor,
            partner=p,
            data={
                "period": last_month(),
                "shipments": 100,
                "examinations": 2,
                "holds": 1,
                "hours_to_release": 10,
                "source": "Matrix",
            },
        ),
    ),
    Action(
        "participation-add",
        benefits_partner,
        lambda p: reverse("benefits:partner", args=[p.pk]),
        data_action("participation-add"),
        lambda p, actor: benefit_services.participation_add(
            actor=actor, partner=p, data={"offering": offering(), "since": TODAY}
        ),
    ),
    Action(
        "proposal-review",
        proposal,
        lambda p: reverse("benefits:proposal", args=[p.pk]),
        data_action("proposal-review"),
        lambda p, actor: benefit_services.proposal_move(actor=actor, proposal=p, move="review"),
    ),
    Action(
        "benefits-report-retry",
        lambda world: BenefitsReport.objects.create(
            year=TODAY.year - 1,
            version=1,
            snapshot={},
            requested_by=world["people"]["administrator"],
            status="failed",
        ),
        lambda r: reverse("benefits:reports"),
        lambda r: f'action="{reverse("benefits:report_retry", args=[r.pk])}"',
        lambda r, actor: benefit_services.report_retry(report=r, actor=actor),
    ),
]


def owed_review(world):
    """A certified partner whose annual profile review, owed by the partner, falls due in
    about two months: (partner, deadline key, due date)."""
    enrollment = EnrollmentFactory(
        partner=world["partner"], certified=True, certified_on=TODAY - timedelta(days=300)
    )
    due = enrollment.annual_due_on
    return world["partner"], f"profile_review:{enrollment.pk}:{due.isoformat()}", due


def extension_request(world):
    partner, key, due = owed_review(world)
    return ExtensionRequest.objects.create(
        partner=partner,
        key=key,
        deadline_label="Annual security profile review",
        due_on=due,
        requested_until=due + timedelta(days=30),
        reason="Our security manager is away.",
        requested_by=world["people"]["company_officer"],
    )


def consequence(world):
    return Consequence.objects.create(
        partner=world["partner"],
        key="revalidation:1:2020-01-01",
        kind="flag_revalidation",
        label="Revalidation overdue",
        deadline_label="Revalidation",
        due_on=date(2020, 1, 1),
    )


def overdue_revalidation(world):
    """A proposal about a revalidation that is still overdue (validated five years ago)."""
    enrollment = EnrollmentFactory(
        partner=world["partner"],
        validated=True,
        certified_on=TODAY - timedelta(days=6 * 365),
        last_validated_on=TODAY - timedelta(days=5 * 365),
    )
    due = enrollment.last_validated_on.replace(year=enrollment.last_validated_on.year + 4)
    return Consequence.objects.create(
        partner=world["partner"],
        key=f"revalidation:{enrollment.pk}:{due.isoformat()}",
        kind="flag_revalidation",
        label="Revalidation overdue",
        deadline_label="Revalidation",
        due_on=due,
    )


def confirm(c, actor):
    deadline_services.consequence_decide(
        actor=actor, consequence=c, confirm=True, reason="Taken up with the partner."
    )


DEADLINE_ACTIONS = [
    Action(
        "extension-request",
        owed_review,
        lambda o: reverse("partners:detail", args=[o[0].pk]),
        data_action("extension-request"),
        lambda o, actor: deadline_services.extension_request(
            actor=actor,
            partner=o[0],
            key=o[1],
            requested_until=o[2] + timedelta(days=30),
            reason="Our security manager is away.",
        ),
    ),
    Action(
        "extension-decide",
        extension_request,
        lambda x: reverse("deadlines:extension", args=[x.pk]),
        data_action("extension-decide"),
        lambda x, actor: deadline_services.extension_decide(
            actor=actor, request=x, grant=True, until=None, note=""
        ),
    ),
    Action(
        "consequence-decide",
        consequence,
        lambda c: reverse("deadlines:consequences"),
        lambda c: f'action="{reverse("deadlines:consequence_decide", args=[c.pk])}"',
        lambda c, actor: deadline_services.consequence_decide(
            actor=actor, consequence=c, confirm=False, reason="Taken up with the partner."
        ),
    ),
]

DEADLINE_ACTIONS += [
    Action(
        "consequence-confirm",
        overdue_revalidation,
        lambda c: reverse("deadlines:consequences"),
        data_action("consequence-confirm"),
        confirm,
    ),
    # The obligation was met since the proposal: nobody is offered Confirm, nobody may.
    Action(
        "consequence-confirm-when-met",
        consequence,
        lambda c: reverse("deadlines:consequences"),
        data_action("consequence-confirm"),
        confirm,
    ),
]

# --- Accounts -----------------------------------------------------------------------------

ACCOUNT_ACTIONS = [
    Action(
        "audit-log-view",
        lambda world: None,
        lambda obj: reverse("accounts:audit"),
        data_action("audit-export"),
        lambda obj, actor: require(can_view_audit_log(actor)),
    ),
]

# --- Security Profiles ------------------------------------------------------------------


def officer_of(world):
    return world["people"]["company_officer"]


def draft_profile(world):
    return profile_services.profile_start(actor=officer_of(world), partner=world["partner"])


def first_answer(profile):
    answer = profile.answers.select_related("profile__partner").first()
    answer.profile = profile
    return answer


def submitted_profile(*, reviewed: bool):
    def setup(world):
        profile = draft_profile(world)
        profile = profile_services.profile_submit(
            actor=officer_of(world),
            profile=profile,
            signed_name="Matrix Officer",
            signed_title="President",
            signed_on=TODAY,
            agreement_version="2020-03",
        )
        if reviewed:
            profile.answers.update(review="accepted")
        return profile

    return setup


def annual_review_due(world):
    enrollment = EnrollmentFactory(
        partner=world["partner"], certified=True, certified_on=TODAY - timedelta(days=330)
    )
    accepted_profile(world["partner"], answers=False)
    return enrollment


def profile_page(obj):
    return reverse(
        "profiles:partner", args=[obj.pk if hasattr(obj, "legal_name") else obj.partner_id]
    )


PROFILE_ACTIONS = [
    Action(
        "profile-start",
        lambda world: world["partner"],
        profile_page,
        data_action("profile-start"),
        lambda p, actor: profile_services.profile_start(actor=actor, partner=p),
    ),
    Action(
        "profile-annual-review",
        annual_review_due,
        profile_page,
        data_action("profile-annual-review"),
        lambda e, actor: profile_services.profile_start(
            actor=actor, partner=e.partner, annual=True
        ),
    ),
    Action(
        "profile-answer-edit",
        draft_profile,
        lambda p: reverse("profiles:version", args=[p.pk]),
        data_action("answer-edit"),
        lambda p, actor: profile_services.answer_save(
            actor=actor, answer=first_answer(p), data={"implemented": "yes"}
        ),
    ),
    Action(
        "profile-submit",
        draft_profile,
        lambda p: reverse("profiles:version", args=[p.pk]),
        data_action("profile-submit"),
        lambda p, actor: profile_services.profile_submit(
            actor=actor,
            profile=p,
            signed_name="Someone",
            signed_title="Officer",
            signed_on=TODAY,
            agreement_version="2020-03",
        ),
    ),
    Action(
        "profile-answer-review",
        submitted_profile(reviewed=False),
        lambda p: reverse("profiles:version", args=[p.pk]),
        data_action("profile-review"),
        lambda p, actor: profile_services.answer_review(
            actor=actor, answer=first_answer(p), accept=True
        ),
    ),
    Action(
        "profile-decide",
        submitted_profile(reviewed=True),
        lambda p: reverse("profiles:review", args=[p.pk]),
        data_action("profile-decide"),
        lambda p, actor: profile_services.profile_decide(actor=actor, profile=p),
    ),
    Action(
        "profile-decide-with-answers-not-reviewed",
        submitted_profile(reviewed=False),
        lambda p: reverse("profiles:review", args=[p.pk]),
        data_action("profile-decide"),
        lambda p, actor: profile_services.profile_decide(actor=actor, profile=p),
    ),
]

ACTIONS = (
    PARTNER_ACTIONS
    + PROFILE_ACTIONS
    + VALIDATION_ACTIONS
    + FORCED_LABOR_ACTIONS
    + BENEFIT_ACTIONS
    + DEADLINE_ACTIONS
    + ACCOUNT_ACTIONS
)

# Cells known to disagree for a reason outside this change; strict, so a fix shows up.
# (action, person) pairs known to disagree, each with its reason; empty when all agree.
KNOWN: dict[tuple[str, str], str] = {}


def offered(client, actor, action, obj) -> bool:
    client.force_login(actor)
    response = client.get(action.page(obj))
    if response.status_code in (403, 404):
        return False
    assert response.status_code == 200, response.status_code
    return action.marker(obj) in response.content.decode()


def allowed(action, obj, actor) -> tuple[bool, str]:
    try:
        with transaction.atomic():
            action.attempt(obj, actor)
            raise Rollback
    except Rollback:
        return True, ""
    except DomainError as error:
        return False, error.message


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_page_offers_what_the_service_allows(client, world, action, person, request):
    if (action.name, person) in KNOWN:
        request.applymarker(pytest.mark.xfail(reason=KNOWN[action.name, person], strict=True))
    obj = action.setup(world)
    if action.name.startswith("plan-validation"):
        obj.validation_lead = world["people"]["lead"]
    actor = world["people"][person]
    on_page = offered(client, actor, action, obj)
    may, why = allowed(action, obj, actor)
    assert on_page == may, (
        f"{action.name} for {person}: the page {'offers' if on_page else 'does not offer'} it "
        f"and the service {'allows' if may else 'refuses'} it{': ' + why if why else ''}"
    )


OFFICE_STAFF = {
    "office_specialist",
    "team_member",
    "lead",
    "approver",
    "other_supervisor",
    "administrator",
}

# What the matrix expects of the program, so a change of rule is a visible change here.
EXPECTED = {
    "validation-approve": {"approver", "administrator"},
    "validation-approve-before-the-visit": set(),
    "request-withdraw": {"lead", "team_member", "administrator"},
    "validation-start": {"lead", "team_member", "administrator"},
    "validation-close": {"lead", "team_member", "approver", "administrator"},
    "plan-validation": {"approver", "other_supervisor", "administrator"},
    "plan-validation-of-a-suspended-partner": {"approver", "other_supervisor", "administrator"},
    "profile-review": {"company_officer"},
    "second-factor-require": {"company_officer"},
    "profile-review-before-its-window": set(),
    "submission-upload": {"company_officer", "partner_admin", "partner_user", "consultant"},
    "submission-upload-kept-on-request": set(),
    "request-upload": {"company_officer", "partner_admin", "partner_user", "consultant"},
    "action-decide": {"lead", "team_member", "administrator"},
    "extension-request": {"company_officer", "partner_admin", "partner_user", "consultant"},
    "extension-decide": {
        "office_specialist",
        "team_member",
        "lead",
        "approver",
        "other_supervisor",
        "administrator",
    },
    "consequence-decide": {"approver", "other_supervisor", "administrator"},
    "consequence-confirm": {"approver", "other_supervisor", "administrator"},
    "consequence-confirm-when-met": set(),
    "audit-log-view": {"administrator"},
    "enrollment-certify-without-an-accepted-profile": set(),
    "profile-start": {"company_officer", "partner_admin", "partner_user", "consultant"},
    "profile-annual-review": {"company_officer"},
    "profile-answer-edit": {"company_officer", "partner_admin", "partner_user", "consultant"},
    "profile-submit": {"company_officer"},
    "profile-answer-review": OFFICE_STAFF,
    "profile-decide": OFFICE_STAFF,
    "profile-decide-with-answers-not-reviewed": set(),
}


@pytest.mark.parametrize("action_name", sorted(EXPECTED))
def test_who_may_act_is_what_the_program_says(world, action_name):
    action = next(a for a in ACTIONS if a.name == action_name)
    obj = action.setup(world)
    if action_name.startswith("plan-validation"):
        obj.validation_lead = world["people"]["lead"]
    may = set()
    for person in PEOPLE:
        if allowed(action, obj, world["people"][person])[0]:
            may.add(person)
        if hasattr(obj, "refresh_from_db"):
            obj.refresh_from_db()  # a service updates the caller's object as it saves
    assert may == EXPECTED[action_name]


def test_the_partner_page_links_to_planning_only_when_it_is_allowed(client, world):
    # A withdrawn partner cannot be validated; a suspended one gets a for-cause validation.
    planning({"status": "withdrawn"})(world)
    client.force_login(world["people"]["approver"])
    url = reverse("validations:plan", args=[world["partner"].pk])
    html = client.get(reverse("partners:detail", args=[world["partner"].pk])).content.decode()
    assert url not in html
    Enrollment.attempts.filter(partner=world["partner"]).update(is_current=False)
    EnrollmentFactory(partner=world["partner"], attempt=2, **ENROLLMENT_STATES[Move.REINSTATE])
    html = client.get(reverse("partners:detail", args=[world["partner"].pk])).content.decode()
    assert url in html
