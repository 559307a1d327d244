"""Who may do what to a partner and its enrollments: one predicate per action.

See ctpat/permissions.py for the shape. MOVE_ROLES in choices.py says which roles make each
enrollment move; the predicates add the field office and the enrollment's status. Checks of
the partner's data (Trade Compliance eligibility, a form already submitted for a cycle) stay
in the services, whose messages list what is missing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from ctpat.acceptance import certification_problems
from ctpat.permissions import ALLOWED, Verdict, first_refusal, refuse
from ctpat.program_rules import rule_int

from . import deadlines
from .choices import (
    APPEAL_STATE,
    APPEALABLE,
    CLOSED,
    ENROLLMENT_STATE,
    IMPORTERS,
    MOVE_ROLES,
    MOVE_TARGETS,
    PLAN_EDITABLE,
    PLAN_STATE,
    AppealStatus,
    MembershipRole,
    Move,
    PlanStatus,
    Program,
    Status,
    allowed_targets,
)
from .models import (
    Appeal,
    CorrectiveActionPlan,
    Enrollment,
    EnrollmentEvent,
    Membership,
    NotificationLetter,
    Partner,
    ProfileReview,
)


def can_change_partner(user: User | None, partner: Partner | None = None) -> Verdict:
    """CBP staff change partner records (profile, identifiers, sites, users, invitations),
    each within their field office; administrators everywhere."""
    if user is None or not user.is_cbp_staff:
        return refuse("Only CBP staff may change partner records.")
    office = partner.field_office_id if partner is not None else None
    if office and user.role != Role.ADMINISTRATOR and user.field_office_id != office:
        return refuse("This partner belongs to another field office.")
    return ALLOWED


def move_refusal(enrollment: Enrollment, move: str) -> str:
    """Why `move` is not possible from the enrollment's status, as a sentence."""
    return _("“%(move)s” is not possible: the %(program)s enrollment is %(state)s.") % {
        "move": Move(move).label,
        "program": enrollment.get_program_display(),
        "state": ENROLLMENT_STATE[Status(enrollment.status)],
    }


def can_make_enrollment_move(
    user: User | None, enrollment: Enrollment, move: str, *, checks: bool = True
) -> Verdict:
    """MOVE_ROLES says who; the program's TRANSITIONS say from which status; certification
    also what apps above register as "certification_checks" (an accepted Security Profile).
    `checks=False` leaves those out (move_holds says why a move waits on them)."""
    move = Move(move)

    def by_role() -> Verdict:
        if user is not None and user.role in MOVE_ROLES.get(move, ()):
            return ALLOWED
        return refuse(f"Your role may not {move.label.lower()}.")

    def by_status() -> Verdict:
        if not enrollment.is_current:
            return refuse(_("This is an earlier attempt; only the current one can change."))
        if move == Move.REINSTATE:
            if enrollment.status != Status.SUSPENDED:
                return refuse("Only a suspended enrollment can be reinstated.")
            target = enrollment.status_before_suspension or None
        else:
            target = MOVE_TARGETS[move]
        # Only reinstatement returns a suspended enrollment to its earlier status, never a
        # new certification or validation; only an upheld appeal reopens a rejection.
        allowed = allowed_targets(enrollment.program, enrollment.status, move)
        if target in allowed:
            return ALLOWED
        return refuse(move_refusal(enrollment, move))

    def by_plan() -> Verdict:
        # DOMAIN.md: reinstatement needs a corrective action plan. A suspension with a
        # letter of its own needs an accepted plan for that letter; a suspension that
        # followed Security's (no letter) is reinstated once Security is.
        if move != Move.REINSTATE or not enrollment.suspended_on:
            return ALLOWED
        accepted = CorrectiveActionPlan.objects.filter(
            enrollment=enrollment,
            suspended_on=enrollment.suspended_on,
            status=PlanStatus.ACCEPTED,
        ).exists()
        if accepted:
            return ALLOWED
        return refuse(_("Reinstatement needs an accepted corrective action plan."))

    def by_checks() -> Verdict:
        if move != Move.CERTIFY or not checks:
            return ALLOWED
        problems = certification_problems(enrollment)
        return refuse(" ".join(problems)) if problems else ALLOWED

    return first_refusal(
        by_role, lambda: can_change_partner(user, enrollment.partner), by_status, by_plan, by_checks
    )


def allowed_enrollment_moves(user: User, enrollment: Enrollment) -> list[Move]:
    """The moves the partner page offers this person on this enrollment now."""
    return [move for move in MOVE_ROLES if can_make_enrollment_move(user, enrollment, move)]


def move_holds(user: User, enrollment: Enrollment) -> list[str]:
    """Why moves this person could otherwise make wait (the registered checks), for the
    partner page to say instead of offering them."""
    return [
        verdict.reason
        for move in MOVE_ROLES
        if move == Move.CERTIFY
        and can_make_enrollment_move(user, enrollment, move, checks=False)
        and not (verdict := can_make_enrollment_move(user, enrollment, move))
    ]


def can_apply_trade_compliance(user: User, partner: Partner) -> Verdict:
    """Staff record a Trade Compliance application of an importer that has none yet (the
    eligibility questionnaire and rules are then checked by the service)."""

    def by_partner() -> Verdict:
        if partner.entity_type not in IMPORTERS:
            return refuse("Trade Compliance is open to importers only.")
        return ALLOWED

    return first_refusal(
        lambda: can_change_partner(user, partner),
        by_partner,
        lambda: may_apply_again(partner, Program.TRADE_COMPLIANCE),
    )


# What ends an attempt, and the rule that says how long the partner waits to apply again.
REAPPLY_WAIT_RULES = {
    Status.REJECTED: "reapply_after_rejection_days",
    Status.WITHDRAWN: "reapply_after_withdrawal_days",
    Status.REMOVED: "reapply_after_removal_days",
}


def reapply_from(enrollment: Enrollment) -> date:
    """The first day the partner may apply again after this closed attempt."""
    closed_on = timezone.localdate(enrollment.status_changed_at)
    return closed_on + timedelta(days=rule_int(REAPPLY_WAIT_RULES[Status(enrollment.status)]))


def may_apply_again(partner: Partner, program: str) -> Verdict:
    """A partner applies to a program when it has no attempt yet, or its current attempt is
    closed, the wait after it has passed, and no appeal of it is waiting for a decision."""
    current = next((e for e in partner.enrollments.all() if e.program == program), None)
    if current is None:
        return ALLOWED
    name = Program(program).label
    if current.status not in CLOSED:
        return refuse(
            _("%(partner)s already has a %(program)s enrollment, which is %(state)s.")
            % {
                "partner": partner.legal_name,
                "program": name,
                "state": ENROLLMENT_STATE[Status(current.status)],
            }
        )
    if Appeal.objects.filter(enrollment=current, status=AppealStatus.FILED).exists():
        return refuse(_("An appeal of the earlier decision is waiting for CBP's decision."))
    start = reapply_from(current)
    if timezone.localdate() < start:
        return refuse(
            _(
                "After the %(program)s enrollment was %(state)s, the partner may apply again "
                "from %(date)s."
            )
            % {
                "program": name,
                "state": ENROLLMENT_STATE[Status(current.status)],
                "date": f"{start:%B %-d, %Y}",
            }
        )
    return ALLOWED


def can_reapply(user: User, partner: Partner, program: str = Program.SECURITY) -> Verdict:
    """CBP staff of the partner's office record a new Security application (a new attempt)
    once the current one is closed and its wait has passed (Trade Compliance goes through
    its questionnaire: can_apply_trade_compliance)."""

    def has_attempt() -> Verdict:
        if any(e.program == program for e in partner.enrollments.all()):
            return ALLOWED
        return refuse(_("The partner has not applied to this program before."))

    return first_refusal(
        lambda: can_change_partner(user, partner),
        has_attempt,
        lambda: may_apply_again(partner, program),
    )


# --- Corrective action plans and appeals ---------------------------------------------


def _supervisor_of(user: User | None, partner: Partner) -> Verdict:
    """A supervisor of the partner's field office, or an administrator."""
    if user is None or user.role not in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        return refuse(_("Only a supervisor of the partner's field office may decide this."))
    return can_change_partner(user, partner)


def can_submit_corrective_action_plan(user: User, enrollment: Enrollment | None) -> Verdict:
    """The company officer drafts and submits the plan that answers a suspension letter,
    until it is submitted (again after CBP returns it)."""
    if enrollment is None:
        return refuse(_("There is no suspension to answer."))

    def by_status() -> Verdict:
        if not (
            enrollment.is_current
            and enrollment.status == Status.SUSPENDED
            and enrollment.suspended_on
        ):
            return refuse(_("A corrective action plan answers a suspension letter in force."))
        plan = CorrectiveActionPlan.objects.filter(
            enrollment=enrollment, suspended_on=enrollment.suspended_on
        ).first()
        if plan is not None and plan.status not in PLAN_EDITABLE:
            return refuse(
                _("The corrective action plan is %(state)s.")
                % {"state": PLAN_STATE[PlanStatus(plan.status)]}
            )
        return ALLOWED

    return first_refusal(lambda: _company_officer(user, enrollment.partner), by_status)


def can_decide_corrective_action_plan(user: User, plan: CorrectiveActionPlan) -> Verdict:
    """A supervisor of the partner's office accepts or returns a submitted plan."""

    def by_status() -> Verdict:
        if plan.status != PlanStatus.SUBMITTED:
            return refuse(
                _("Only a submitted plan can be decided; this one is %(state)s.")
                % {"state": PLAN_STATE[PlanStatus(plan.status)]}
            )
        return ALLOWED

    return first_refusal(lambda: _supervisor_of(user, plan.enrollment.partner), by_status)


def can_add_corrective_action_evidence(user: User, plan: CorrectiveActionPlan) -> Verdict:
    """The partner's users upload documents showing the plan's objectives done, from its
    draft until the suspension it answers ends (reinstated, removed, or a new letter): the
    supervisor weighs them when deciding the plan and the reinstatement. `plan.enrollment`
    (with its partner) is read, not fetched."""

    def member() -> Verdict:
        partner = plan.enrollment.partner
        is_member = (
            user.role == Role.PARTNER
            and Membership.objects.filter(partner_id=partner.pk, user=user).exists()
        )
        if is_member:
            return ALLOWED
        return refuse(
            _("Only the users of %(partner)s may add evidence to its plan.")
            % {"partner": partner.legal_name}
        )

    def in_force() -> Verdict:
        enrollment = plan.enrollment
        if (
            enrollment.is_current
            and enrollment.status == Status.SUSPENDED
            and enrollment.suspended_on == plan.suspended_on
        ):
            return ALLOWED
        return refuse(_("The suspension this plan answered has ended; its evidence is closed."))

    return first_refusal(member, in_force)


def appeal_window_closes(enrollment: Enrollment) -> date:
    """The last day to appeal the enrollment's suspension (from the letter) or rejection."""
    start = enrollment.suspended_on or timezone.localdate(enrollment.status_changed_at)
    return start + timedelta(days=rule_int("appeal_window_days"))


def appealed_decision(enrollment: Enrollment) -> EnrollmentEvent | None:
    """The move that put the enrollment in its status (the suspension or rejection)."""
    return (
        EnrollmentEvent.objects.filter(enrollment=enrollment, to_status=enrollment.status)
        .order_by("-at", "-pk")
        .first()
    )


def can_file_appeal(user: User, enrollment: Enrollment | None) -> Verdict:
    """The company officer appeals the current attempt's suspension or rejection, once,
    within the appeal window."""
    if enrollment is None:
        return refuse(_("There is nothing to appeal."))

    def by_status() -> Verdict:
        if not enrollment.is_current or enrollment.status not in APPEALABLE:
            return refuse(_("Only a suspension or a rejected application can be appealed."))
        if Appeal.objects.filter(decision=appealed_decision(enrollment)).exists():
            return refuse(_("This decision has already been appealed."))
        closes = appeal_window_closes(enrollment)
        if timezone.localdate() > closes:
            return refuse(
                _("The time to appeal ended on %(date)s.") % {"date": f"{closes:%B %-d, %Y}"}
            )
        return ALLOWED

    return first_refusal(lambda: _company_officer(user, enrollment.partner), by_status)


def can_decide_appeal(user: User, appeal: Appeal) -> Verdict:
    """A supervisor of the partner's office upholds or denies a filed appeal."""

    def by_status() -> Verdict:
        if appeal.status != AppealStatus.FILED:
            return refuse(
                _("This appeal is already decided: it was %(state)s.")
                % {"state": APPEAL_STATE[AppealStatus(appeal.status)]}
            )
        enrollment = appeal.enrollment
        if not enrollment.is_current or enrollment.status != appeal.appealed_status:
            return refuse(_("The enrollment has moved on since the appeal was filed."))
        return ALLOWED

    return first_refusal(lambda: _supervisor_of(user, appeal.enrollment.partner), by_status)


# --- What the company officer submits -----------------------------------------------


def _company_officer(user: User, partner: Partner) -> Verdict:
    is_officer = (
        user.role == Role.PARTNER
        and Membership.objects.filter(
            partner=partner, user=user, role=MembershipRole.COMPANY_OFFICER
        ).exists()
    )
    if is_officer:
        return ALLOWED
    return refuse(f"Only the company officer of {partner.legal_name} may submit this.")


def can_require_second_factor(user: User, partner: Partner) -> Verdict:
    """The company officer decides whether every user of the company must sign in with a
    second factor (accounts.mfa); CBP staff must always, whatever the partner chose."""
    is_officer = (
        user.role == Role.PARTNER
        and Membership.objects.filter(
            partner=partner, user=user, role=MembershipRole.COMPANY_OFFICER
        ).exists()
    )
    if is_officer:
        return ALLOWED
    return refuse(
        _(
            "Only the company officer of %(partner)s may decide whether its users must use "
            "a second factor."
        )
        % {"partner": partner.legal_name}
    )


def allowed_message(what: str, program: str) -> str:
    if program == Program.SECURITY:
        return f"The {what} is for certified or validated Security partners."
    return f"The {what} is for accepted Trade Compliance partners."


AnnualModel = TypeVar("AnnualModel", ProfileReview, NotificationLetter)


@dataclass(frozen=True)
class Annual(Generic[AnnualModel]):
    """What a yearly submission is, for whom, and when its window opens."""

    kind: str
    model: type[AnnualModel]
    what: str
    program: Program
    allowed: tuple[Status, ...]
    next_due: Callable[[Enrollment, set[date]], date]  # the first cycle not yet answered
    opens_on: Callable[[date], date]  # a cycle's window, from its due date


PROFILE_REVIEW = Annual(
    kind="profile_review",
    model=ProfileReview,
    what="annual review",
    program=Program.SECURITY,
    allowed=(Status.CERTIFIED, Status.VALIDATED),
    next_due=deadlines.profile_review_due,
    opens_on=deadlines.profile_review_opens,
)
NOTIFICATION_LETTER = Annual(
    kind="notification_letter",
    model=NotificationLetter,
    what="Annual Notification Letter",
    program=Program.TRADE_COMPLIANCE,
    allowed=(Status.ACCEPTED,),
    next_due=deadlines.notification_letter_due,
    opens_on=deadlines.notification_letter_opens,
)
ANNUAL: dict[str, Annual[ProfileReview] | Annual[NotificationLetter]] = {
    spec.kind: spec for spec in (PROFILE_REVIEW, NOTIFICATION_LETTER)
}


def can_submit_annual(
    user: User, enrollment: Enrollment | None, kind: str, *, window: bool = True
) -> Verdict:
    """The company officer submits while the enrollment is in good standing and the
    window of the first unanswered cycle is open (`window=False` leaves the window out)."""
    spec = ANNUAL[kind]
    if enrollment is None:
        return refuse("There is nothing to submit for this program now.")

    def by_status() -> Verdict:
        if enrollment.program == spec.program and enrollment.status in spec.allowed:
            return ALLOWED
        return refuse(allowed_message(spec.what, spec.program))

    def by_window() -> Verdict:
        answered = set(
            spec.model.objects.filter(enrollment=enrollment).values_list("due_on", flat=True)
        )
        due = spec.next_due(enrollment, answered)
        opens = spec.opens_on(due)
        if timezone.localdate() >= opens:
            return ALLOWED
        return refuse(
            f"The {spec.what} due on {due:%B %-d, %Y} can be submitted from {opens:%B %-d, %Y}."
        )

    return first_refusal(
        lambda: _company_officer(user, enrollment.partner),
        by_status,
        by_window if window else ALLOWED,
    )


def can_submit_profile_review(user: User, enrollment: Enrollment | None) -> Verdict:
    """The annual Security profile review, by the company officer (Security enrollment)."""
    return can_submit_annual(user, enrollment, PROFILE_REVIEW.kind)


def can_submit_notification_letter(user: User, enrollment: Enrollment | None) -> Verdict:
    """The Annual Notification Letter, by the company officer (Trade Compliance enrollment)."""
    return can_submit_annual(user, enrollment, NOTIFICATION_LETTER.kind)
