"""The program-lifecycle conditions the dashboard counts and the partner list filters by.

Dates come from the same rules as the deadlines (deadlines.py, ctpat.program_rules)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import OuterRef, Q

from ctpat.deadlines import running_extension
from ctpat.partner_filters import PartnerCondition
from ctpat.program_rules import rule_int

from .choices import OPEN_APPLICATION, Program, Status
from .models import Enrollment

SOON = 90  # "due soon" on the dashboard: within the next 90 days


def _security(**lookups) -> Q:
    # A join does not go through Enrollment.objects, so it names the current attempt itself.
    where = {"program": Program.SECURITY, "is_current": True, **lookups}
    return Q(**{f"enrollments__{k}": v for k, v in where.items()})


def _application_aged(low: int, high: int | None):
    def condition(today):
        lookups = {"status__in": OPEN_APPLICATION, "applied_on__lte": today - timedelta(days=low)}
        if high is not None:
            lookups["applied_on__gt"] = today - timedelta(days=high)
        return _security(**lookups)

    return condition


def validation_due(today):
    months = relativedelta(months=rule_int("initial_validation_months"))
    return _security(
        status=Status.CERTIFIED,
        last_validated_on__isnull=True,
        certified_on__gte=today - months,
        certified_on__lte=today + timedelta(days=SOON) - months,
    )


def validation_overdue(today):
    months = relativedelta(months=rule_int("initial_validation_months"))
    return _security(
        status=Status.CERTIFIED, last_validated_on__isnull=True, certified_on__lt=today - months
    )


def revalidation_due(today):
    months = relativedelta(months=rule_int("revalidation_months"))
    return _security(
        status=Status.VALIDATED,
        last_validated_on__gte=today - months,
        last_validated_on__lte=today + timedelta(days=SOON) - months,
    )


def revalidation_overdue(today):
    months = relativedelta(months=rule_int("revalidation_months"))
    return _security(status=Status.VALIDATED, last_validated_on__lt=today - months)


def review_due(today):
    return _without_extension(
        "profile_review",
        today,
        program=Program.SECURITY,
        status__in=(Status.CERTIFIED, Status.VALIDATED),
        annual_due_on__gte=today,
        annual_due_on__lte=today + timedelta(days=SOON),
    )


def _without_extension(kind: str, today, **lookups) -> Q:
    """Partners whose enrollment matches `lookups` on its stored due date, leaving out those
    a granted extension has moved (the dashboard counts the date the partner page shows)."""
    overdue = Enrollment.objects.filter(**lookups).exclude(
        running_extension(kind, OuterRef("pk"), today)
    )
    return Q(pk__in=overdue.values("partner_id"))


def review_overdue(today):
    return _without_extension(
        "profile_review",
        today,
        program=Program.SECURITY,
        status__in=(Status.CERTIFIED, Status.VALIDATED),
        annual_due_on__lt=today,
    )


def letter_due(today):
    return _without_extension(
        "notification_letter",
        today,
        program=Program.TRADE_COMPLIANCE,
        status=Status.ACCEPTED,
        annual_due_on__gte=today,
        annual_due_on__lte=today + timedelta(days=SOON),
    )


def letter_overdue(today):
    return _without_extension(
        "notification_letter",
        today,
        program=Program.TRADE_COMPLIANCE,
        status=Status.ACCEPTED,
        annual_due_on__lt=today,
    )


_APPLICATION_AGES = [
    (0, 30, "Applications under 30 days"),
    (30, 60, "Applications 30 to 59 days"),
    (60, 90, "Applications 60 to 89 days"),
    (90, None, "Applications over 90 days (past the statutory target)"),
]

# Registered by PartnersConfig.ready().
CONDITIONS = [
    *(
        PartnerCondition(
            f"application_{low}" + (f"_{high}" if high else "_plus"),
            label,
            Program.SECURITY,
            _application_aged(low, high),
        )
        for low, high, label in _APPLICATION_AGES
    ),
    PartnerCondition(
        "validation_due", "Initial validation due within 90 days", Program.SECURITY, validation_due
    ),
    PartnerCondition(
        "validation_overdue", "Initial validation overdue", Program.SECURITY, validation_overdue
    ),
    PartnerCondition(
        "revalidation_due", "Revalidation due within 90 days", Program.SECURITY, revalidation_due
    ),
    PartnerCondition(
        "revalidation_overdue", "Revalidation overdue", Program.SECURITY, revalidation_overdue
    ),
    PartnerCondition(
        "review_due", "Annual profile review due within 90 days", Program.SECURITY, review_due
    ),
    PartnerCondition(
        "review_overdue", "Annual profile review overdue", Program.SECURITY, review_overdue
    ),
    PartnerCondition(
        "letter_due",
        "Annual Notification Letter due within 90 days",
        Program.TRADE_COMPLIANCE,
        letter_due,
    ),
    PartnerCondition(
        "letter_overdue",
        "Annual Notification Letter overdue",
        Program.TRADE_COMPLIANCE,
        letter_overdue,
    ),
]
