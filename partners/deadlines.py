"""Deadlines of the program lifecycle (DOMAIN.md), computed from an enrollment's dates.

The day and month counts come from settings.CTPAT_RULES.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings

from ctpat.deadlines import Deadline, DeadlineKind, OwedBy, register

from .choices import OPEN_APPLICATION, Program, Status


def rule(name: str) -> int:
    return settings.CTPAT_RULES[name]


def certification_due(enrollment) -> date:
    return enrollment.applied_on + timedelta(days=rule("certification_decision_days"))


def initial_validation_due(enrollment) -> date:
    return enrollment.certified_on + relativedelta(months=rule("initial_validation_months"))


def revalidation_due(enrollment) -> date:
    return enrollment.last_validated_on + relativedelta(months=rule("revalidation_months"))


def profile_review_due(enrollment, reviewed: set[date]) -> date:
    """The first certification anniversary without a submitted review."""
    years = 1
    while True:
        due = enrollment.certified_on + relativedelta(years=years)
        if due not in reviewed:
            return due
        years += 1


def profile_review_opens(due_on: date) -> date:
    return due_on - timedelta(days=rule("profile_review_window_days"))


def notification_letter_due(enrollment, submitted: set[date]) -> date:
    """First 13 months after acceptance, then every 12: the first one not yet submitted."""
    due = enrollment.accepted_on + relativedelta(months=rule("notification_letter_first_months"))
    step = relativedelta(months=rule("notification_letter_every_months"))
    while due in submitted:
        due += step
    return due


def notification_letter_opens(due_on: date) -> date:
    return due_on - timedelta(days=rule("notification_letter_window_days"))


def suspension_response_due(enrollment) -> date:
    return enrollment.suspended_on + timedelta(days=rule("suspension_response_days"))


def _security(enrollments):
    return [e for e in enrollments if e.program == Program.SECURITY]


def _trade_compliance(enrollments):
    return [e for e in enrollments if e.program == Program.TRADE_COMPLIANCE]


def _certification(partner, *, enrollments, **_):
    for e in _security(enrollments):
        if e.status in OPEN_APPLICATION:
            yield Deadline(
                "certification", "Certification decision", certification_due(e), OwedBy.CBP
            )


def _validation(partner, *, enrollments, **_):
    for e in _security(enrollments):
        if e.status == Status.CERTIFIED and e.last_validated_on is None and e.certified_on:
            yield Deadline(
                "validation", "Initial validation", initial_validation_due(e), OwedBy.CBP
            )
        elif e.status == Status.VALIDATED and e.last_validated_on:
            yield Deadline("revalidation", "Revalidation", revalidation_due(e), OwedBy.CBP)


def _profile_review(partner, *, enrollments, profile_reviews=(), **_):
    reviewed = {r.due_on for r in profile_reviews}
    for e in _security(enrollments):
        if e.status in (Status.CERTIFIED, Status.VALIDATED) and e.certified_on:
            due = profile_review_due(e, reviewed)
            yield Deadline(
                "profile_review",
                "Annual security profile review",
                due,
                OwedBy.PARTNER,
                opens_on=profile_review_opens(due),
            )


def _notification_letter(partner, *, enrollments, notification_letters=(), **_):
    submitted = {letter.due_on for letter in notification_letters}
    for e in _trade_compliance(enrollments):
        if e.status == Status.ACCEPTED and e.accepted_on:
            due = notification_letter_due(e, submitted)
            yield Deadline(
                "notification_letter",
                "Annual Notification Letter",
                due,
                OwedBy.PARTNER,
                opens_on=notification_letter_opens(due),
            )


def _suspension_response(partner, *, enrollments, **_):
    for e in enrollments:
        if e.status == Status.SUSPENDED and e.suspended_on:
            yield Deadline(
                f"suspension_response_{e.program}",
                f"Response to the {e.get_program_display()} suspension letter",
                suspension_response_due(e),
                OwedBy.PARTNER,
            )


register(DeadlineKind("certification", "Certification decision", OwedBy.CBP, _certification))
register(DeadlineKind("validation", "Validation and revalidation", OwedBy.CBP, _validation))
register(
    DeadlineKind(
        "profile_review", "Annual security profile review", OwedBy.PARTNER, _profile_review
    )
)
register(
    DeadlineKind(
        "notification_letter", "Annual Notification Letter", OwedBy.PARTNER, _notification_letter
    )
)
register(
    DeadlineKind("suspension_response", "Suspension response", OwedBy.PARTNER, _suspension_response)
)
