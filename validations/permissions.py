"""Who may do what to a validation: one predicate per action (see ctpat/permissions.py).

The services enforce these with `require`, the views refuse with `deny`, and the
validation page offers a button only when its predicate allows. Checks that ask the
person to finish something first (every finding recorded before submitting, every
required action accepted before closing) stay in the services, whose message says what.
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.choices import Role
from accounts.models import User
from ctpat.permissions import ALLOWED, Verdict, first_refusal, refuse
from partners.choices import ENROLLMENT_STATE, Program
from partners.choices import Status as EnrollmentStatus
from partners.models import Membership, Partner

from .choices import (
    ACTION_DONE,
    ACTION_STATE,
    ACTION_TRANSITIONS,
    MOVE_ACTORS,
    MOVE_TARGETS,
    OPEN,
    REPORT_ACTORS,
    REQUEST_STATE,
    REQUESTS_WAITING,
    TEAM,
    TRANSITIONS,
    VALIDATION_STATE,
    ActionStatus,
    Kind,
    Move,
    Relation,
    ReportStatus,
    RequestStatus,
    Result,
    Status,
)
from .models import DocumentRequest, IssuedReport, RequiredAction, Validation

PLANNABLE = (EnrollmentStatus.CERTIFIED, EnrollmentStatus.VALIDATED)
REQUESTS_OPEN = (Status.PLANNED, Status.DOCUMENTS_REQUESTED, Status.IN_PROGRESS)
FINDINGS_OPEN = (Status.IN_PROGRESS, Status.REPORT_DRAFTING)


def relations(user: User, validation: Validation) -> frozenset:
    """How `user` stands to `validation` (Relation), remembered on the object for one page."""
    cache = validation.__dict__.setdefault("_relations", {})
    if user.pk not in cache:
        found = set()
        if user.role == Role.ADMINISTRATOR:
            found.add(Relation.ADMINISTRATOR)
        elif user.role in (Role.SPECIALIST, Role.SUPERVISOR) and (
            user.field_office_id == validation.enrollment.partner.field_office_id
        ):
            if user.pk == validation.lead_id:
                found.add(Relation.LEAD)
            if user.pk == validation.approving_supervisor_id and user.role == Role.SUPERVISOR:
                found.add(Relation.APPROVER)
            if user.role == Role.SPECIALIST and validation.team.filter(pk=user.pk).exists():
                found.add(Relation.MEMBER)
        cache[user.pk] = frozenset(found)
    return cache[user.pk]


def _staff_of_office(user: User, partner: Partner) -> Verdict:
    if user.role == Role.ADMINISTRATOR:
        return ALLOWED
    if user.role in (Role.SPECIALIST, Role.SUPERVISOR) and (
        user.field_office_id == partner.field_office_id
    ):
        return ALLOWED
    return refuse("Only CBP staff of the partner's field office work on its validation.")


def _on_team(user: User, validation: Validation) -> Verdict:
    if relations(user, validation) & TEAM:
        return ALLOWED
    return refuse("Only the validation's team may do this.")


def _member_of(user: User, validation: Validation, what: str) -> Verdict:
    """One of the partner's users (remembered on the validation for one page)."""
    cache = validation.__dict__.setdefault("_members", {})
    if user.pk not in cache:
        cache[user.pk] = (
            user.role == Role.PARTNER
            and Membership.objects.filter(
                partner_id=validation.enrollment.partner_id, user=user
            ).exists()
        )
    if cache[user.pk]:
        return ALLOWED
    return refuse(f"Only users of {validation.enrollment.partner} may {what}.")


# --- Planning and moves ---------------------------------------------------------------


def can_plan_validation(user: User, partner: Partner, kind: str | None = None) -> Verdict:
    """A supervisor of the partner's office (or an administrator) plans a validation of a
    certified or validated Security partner that has none open, or a for-cause validation
    of a suspended one (issue 15: it informs the reinstatement). `kind` None asks whether
    some validation may be planned (the link and the page)."""
    if user.role not in (Role.SUPERVISOR, Role.ADMINISTRATOR) or not (
        user.role == Role.ADMINISTRATOR or user.field_office_id == partner.field_office_id
    ):
        return refuse("Only a supervisor of the partner's field office plans validations.")
    security = next((e for e in partner.enrollments.all() if e.program == Program.SECURITY), None)
    if security is None:
        return refuse(f"{partner} has no Security enrollment to validate.")
    if security.status == EnrollmentStatus.SUSPENDED:
        if kind not in (None, Kind.FOR_CAUSE):
            return refuse(f"{partner} is suspended: only a for-cause validation can be planned.")
    elif security.status not in PLANNABLE:
        return refuse(
            _(
                "%(partner)s cannot be validated while its Security enrollment is %(state)s; "
                "it must be certified or validated."
            )
            % {"partner": partner, "state": ENROLLMENT_STATE[EnrollmentStatus(security.status)]}
        )
    if Validation.objects.filter(enrollment=security, status__in=OPEN).exists():
        return refuse(f"{partner} already has an open validation.")
    return ALLOWED


def can_make_move(user: User, validation: Validation, move: str) -> Verdict:
    """MOVE_ACTORS says who; TRANSITIONS says from which status."""
    move = Move(move)
    who = MOVE_ACTORS[move]

    def by_relation() -> Verdict:
        if relations(user, validation) & who:
            return ALLOWED
        if who == TEAM:
            return refuse("Only the validation's team may do this.")
        if user.role != Role.SUPERVISOR:
            return refuse(f"Only a supervisor may {move.label.lower()}.")
        if Relation.LEAD in who:  # closing: the team or the approving supervisor
            return refuse("Only the validation's team or its approving supervisor may close it.")
        return refuse("Only the approving supervisor of this validation may decide it.")

    def by_status() -> Verdict:
        target = MOVE_TARGETS[move]
        if target in TRANSITIONS[Status(validation.status)]:
            return ALLOWED
        return refuse(
            _("“%(move)s” is not possible: the validation is %(state)s.")
            % {"move": move.label, "state": VALIDATION_STATE[Status(validation.status)]}
        )

    checks = [lambda: _staff_of_office(user, validation.enrollment.partner), by_relation, by_status]
    if move == Move.APPROVE:
        checks.append(lambda: ready_for_approval(validation))
    return first_refusal(*checks)


def ready_for_approval(validation: Validation) -> Verdict:
    """A report is approved once the visit has begun, every finding has its result and every
    document request is answered, satisfied from file or withdrawn (remembered for one page).

    Part of the approve move's rule, so the page offers "Approve" only when it would pass and
    shows this reason to the approving supervisor otherwise."""
    cache = validation.__dict__
    if "_ready_for_approval" not in cache:
        cache["_ready_for_approval"] = _readiness(validation)
    return cache["_ready_for_approval"]


def _readiness(validation: Validation) -> Verdict:
    if timezone.localdate() < validation.planned_start:
        return refuse(
            _("The visit starts on %(date)s; the report is approved once it has begun.")
            % {"date": f"{validation.planned_start:%B %-d, %Y}"}
        )
    unassessed = validation.findings.filter(result="").count()
    if unassessed:
        return refuse(
            ngettext(
                "%(count)d criterion has no result yet; record it before approval.",
                "%(count)d criteria have no result yet; record them before approval.",
                unassessed,
            )
            % {"count": unassessed}
        )
    waiting = validation.document_requests.filter(status__in=REQUESTS_WAITING).count()
    if waiting:
        return refuse(
            ngettext(
                "%(count)d document request is still open: each is answered, satisfied from "
                "file or withdrawn with a reason before approval.",
                "%(count)d document requests are still open: each is answered, satisfied from "
                "file or withdrawn with a reason before approval.",
                waiting,
            )
            % {"count": waiting}
        )
    return ALLOWED


def can_award_tier_3(validation: Validation) -> Verdict:
    """Tier 3 means the partner exceeds the criteria. The project reads that as: no required
    action open (none among this validation's findings, none left from an earlier one) and at
    least one best practice recorded (README, Validations)."""
    counts = validation.findings.aggregate(
        required=Count("pk", filter=Q(result=Result.REQUIRED_ACTION)),
        best=Count("pk", filter=Q(result=Result.BEST_PRACTICE)),
    )
    if counts["required"]:
        return refuse(_("Tier 3 is not offered while a required action is open."))
    earlier_open = (
        RequiredAction.objects.filter(
            finding__validation__enrollment_id=validation.enrollment_id,
        )
        .exclude(status=ActionStatus.ACCEPTED)
        .exists()
    )
    if earlier_open:
        return refuse(_("Tier 3 is not offered while a required action is open."))
    if not counts["best"]:
        return refuse(_("Tier 3 needs at least one recorded best practice."))
    return ALLOWED


def allowed_moves(user: User, validation: Validation) -> list:
    """The moves the page offers this person now."""
    return [move for move in Move if can_make_move(user, validation, move)]


# --- Document requests, findings, required actions --------------------------------------


def can_add_document_request(user: User, validation: Validation) -> Verdict:
    def by_status() -> Verdict:
        if validation.status in REQUESTS_OPEN:
            return ALLOWED
        return refuse("Documents can be requested until the report is being drafted.")

    return first_refusal(lambda: _on_team(user, validation), by_status)


def _answered(request: DocumentRequest) -> str:
    return _("This document request is already %(state)s.") % {
        "state": REQUEST_STATE[RequestStatus(request.status)]
    }


def can_use_document_on_file(user: User, request: DocumentRequest) -> Verdict:
    """Answer a request with a document the partner gave CBP before."""

    def by_status() -> Verdict:
        if request.status in (RequestStatus.DRAFT, RequestStatus.REQUESTED):
            return ALLOWED
        return refuse(_answered(request))

    return first_refusal(lambda: _on_team(user, request.validation), by_status)


def can_withdraw_document_request(user: User, request: DocumentRequest) -> Verdict:
    """The team withdraws a request it no longer needs, while the validation is open."""

    def by_status() -> Verdict:
        if request.status not in REQUESTS_WAITING:
            return refuse(_answered(request))
        if request.validation.status not in OPEN:
            return refuse(_("The validation is finished; its requests stay as they are."))
        return ALLOWED

    return first_refusal(lambda: _on_team(user, request.validation), by_status)


def can_upload_request_document(user: User, request: DocumentRequest) -> Verdict:
    """The partner's users answer a sent request while the validation is open."""

    def by_status() -> Verdict:
        if request.status == RequestStatus.DRAFT:
            return refuse("This document has not been requested yet.")
        if request.status == RequestStatus.WITHDRAWN:
            return refuse(_("CBP withdrew this request; nothing needs to be uploaded."))
        if request.validation.status not in OPEN:
            return refuse("The validation is finished; documents can no longer be added.")
        return ALLOWED

    return first_refusal(
        lambda: _member_of(user, request.validation, "upload its documents"),
        by_status,
    )


def can_record_findings(user: User, validation: Validation) -> Verdict:
    def by_status() -> Verdict:
        if validation.status in FINDINGS_OPEN:
            return ALLOWED
        return refuse("Findings are recorded while the validation is in progress or drafted.")

    return first_refusal(lambda: _on_team(user, validation), by_status)


def action_may_become(action: RequiredAction, to: str) -> Verdict:
    """Whether the required action may move to status `to` (ACTION_TRANSITIONS)."""
    if to in ACTION_TRANSITIONS[ActionStatus(action.status)]:
        return ALLOWED
    return refuse(
        _("This required action is %(state)s, so it cannot be %(done)s.")
        % {
            "state": ACTION_STATE[ActionStatus(action.status)],
            "done": ACTION_DONE[ActionStatus(to)],
        }
    )


def can_respond_to_action(user: User, action: RequiredAction) -> Verdict:
    """The partner's users answer an open or returned required action."""
    return first_refusal(
        lambda: _member_of(user, action.finding.validation, "answer its required actions"),
        lambda: action_may_become(action, ActionStatus.RESPONSE_SUBMITTED),
    )


def can_decide_action(user: User, action: RequiredAction) -> Verdict:
    """The team accepts or returns a submitted response."""
    return first_refusal(
        lambda: _on_team(user, action.finding.validation),
        lambda: action_may_become(action, ActionStatus.ACCEPTED),
    )


# --- Reports --------------------------------------------------------------------------


def _report_people(user: User, validation: Validation) -> Verdict:
    if relations(user, validation) & REPORT_ACTORS:
        return ALLOWED
    return refuse("Only the validation's team or its approving supervisor may issue its report.")


def can_issue_report(user: User, validation: Validation) -> Verdict:
    def by_status() -> Verdict:
        if validation.status in (Status.APPROVED, Status.CLOSED):
            return ALLOWED
        return refuse("A report is issued once the validation is approved.")

    return first_refusal(lambda: _report_people(user, validation), by_status)


def can_retry_report(user: User, report: IssuedReport) -> Verdict:
    """A failed or stuck render is queued again; one being made is left alone, and said so
    (a second click), so only a ready report is refused."""

    def by_status() -> Verdict:
        if report.status != ReportStatus.READY:
            return ALLOWED
        return refuse("The report is ready: it is not made again.")

    return first_refusal(lambda: _report_people(user, report.validation), by_status)


# --- The catalogue --------------------------------------------------------------------


def can_import_criteria(user: User) -> Verdict:
    """Administrators add criterion versions by CSV (the catalogue is program-wide)."""
    if user.role == Role.ADMINISTRATOR:
        return ALLOWED
    return refuse("Only an administrator imports criterion versions.")
