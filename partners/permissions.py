"""Who may do what to a partner and its enrollments: one predicate per action.

See ctpat/permissions.py for the shape. MOVE_ROLES in choices.py says which roles make each
enrollment move; the predicates add the field office and the enrollment's status. Checks of
the partner's data (Trade Compliance eligibility, a form already submitted for a cycle) stay
in the services, whose messages list what is missing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from ctpat.permissions import ALLOWED, Verdict, first_refusal, refuse

from . import deadlines
from .choices import (
    IMPORTERS,
    MOVE_ROLES,
    MOVE_TARGETS,
    SUSPENDED_EXITS,
    TRANSITIONS,
    MembershipRole,
    Move,
    Program,
    Status,
)
from .models import Enrollment, Membership, NotificationLetter, Partner, ProfileReview


def can_change_partner(user: User | None, partner: Partner | None = None) -> Verdict:
    """CBP staff change partner records (profile, identifiers, sites, users, invitations),
    each within their field office; administrators everywhere."""
    if user is None or not user.is_cbp_staff:
        return refuse("Only CBP staff may change partner records.")
    office = partner.field_office_id if partner is not None else None
    if office and user.role != Role.ADMINISTRATOR and user.field_office_id != office:
        return refuse("This partner belongs to another field office.")
    return ALLOWED


def can_make_enrollment_move(user: User | None, enrollment: Enrollment, move: str) -> Verdict:
    """MOVE_ROLES says who; the program's TRANSITIONS say from which status."""
    move = Move(move)

    def by_role() -> Verdict:
        if user is not None and user.role in MOVE_ROLES.get(move, ()):
            return ALLOWED
        return refuse(f"Your role may not {move.label.lower()}.")

    def by_status() -> Verdict:
        if move == Move.REINSTATE:
            if enrollment.status != Status.SUSPENDED:
                return refuse("Only a suspended enrollment can be reinstated.")
            target = enrollment.status_before_suspension or None
        else:
            target = MOVE_TARGETS[move]
        allowed = TRANSITIONS[Program(enrollment.program)][Status(enrollment.status)]
        if enrollment.status == Status.SUSPENDED and move not in SUSPENDED_EXITS:
            # Only reinstatement returns a suspended enrollment to its earlier status,
            # never a new certification or validation.
            allowed = set()
        if target in allowed:
            return ALLOWED
        return refuse(
            f"A {enrollment.get_program_display()} enrollment that is "
            f"{enrollment.get_status_display().lower()} cannot be moved to "
            f"{Status(target).label.lower() if target else 'its earlier status'} "
            f"({move.label.lower()})."
        )

    return first_refusal(by_role, lambda: can_change_partner(user, enrollment.partner), by_status)


def allowed_enrollment_moves(user: User, enrollment: Enrollment) -> list[Move]:
    """The moves the partner page offers this person on this enrollment now."""
    return [move for move in MOVE_ROLES if can_make_enrollment_move(user, enrollment, move)]


def can_apply_trade_compliance(user: User, partner: Partner) -> Verdict:
    """Staff record a Trade Compliance application of an importer that has none yet (the
    eligibility questionnaire and rules are then checked by the service)."""

    def by_partner() -> Verdict:
        if partner.entity_type not in IMPORTERS:
            return refuse("Trade Compliance is open to importers only.")
        existing = next(
            (e for e in partner.enrollments.all() if e.program == Program.TRADE_COMPLIANCE), None
        )
        if existing is not None:
            return refuse(
                f"{partner.legal_name} already has a Trade Compliance enrollment "
                f"({existing.get_status_display().lower()})."
            )
        return ALLOWED

    return first_refusal(lambda: can_change_partner(user, partner), by_partner)


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
