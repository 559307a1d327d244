"""Trade Compliance partners by the state of their forced-labor documentation."""

from django.db.models import OuterRef, Q

from ctpat.deadlines import running_extension
from ctpat.partner_filters import PartnerCondition
from ctpat.program_rules import rule_date
from partners.choices import CLOSED, Program, Status
from partners.models import Enrollment

from .selectors import partners_with_accepted_documentation


def _open_trade(**lookups) -> Q:
    """A Trade Compliance enrollment that is not closed, with `lookups` on that same row."""
    still_open = [status for status in Status.values if status not in CLOSED]
    return Q(
        enrollments__program=Program.TRADE_COMPLIANCE,
        enrollments__status__in=still_open,
        **{f"enrollments__{k}": v for k, v in lookups.items()},
    )


def _complete() -> Q:
    return Q(pk__in=partners_with_accepted_documentation().values("pk"))


def _due(today, *, past: bool) -> Q:
    """Due before today (past) or not yet: partners accepted before the rule owe it by its
    set date, others with their application but not before the rule existed
    (selectors.due_on: `max(applied_on, effective)`)."""
    effective = rule_date("forced_labor_effective")
    existing_past = rule_date("forced_labor_existing_partners_due") < today
    earlier = _open_trade(accepted_on__lt=effective) if existing_past == past else Q(pk__in=[])
    effective_past = effective < today
    if past:
        # max(applied_on, effective) < today: both are.
        if not effective_past:
            return earlier
        applied = {"applied_on__lt": today}
    else:
        # max(applied_on, effective) >= today: either is.
        if not effective_past:
            return (
                earlier
                | _open_trade(accepted_on__gte=effective)
                | _open_trade(accepted_on__isnull=True)
            )
        applied = {"applied_on__gte": today}
    later = _open_trade(accepted_on__gte=effective, **applied) | _open_trade(
        accepted_on__isnull=True, **applied
    )
    return earlier | later


def documentation_complete(today):
    return _open_trade() & _complete()


def documentation_incomplete(today):
    return ~_complete() & _due(today, past=False)


def documentation_overdue(today):
    # The key of this deadline names the Trade Compliance enrollment.
    extended = Enrollment.objects.filter(running_extension("forced_labor", OuterRef("pk"), today))
    return ~_complete() & _due(today, past=True) & ~Q(enrollments__in=extended)


# Registered by ForcedLaborConfig.ready().
CONDITIONS = [
    PartnerCondition(
        "documentation_complete",
        "Forced-labor documentation complete",
        Program.TRADE_COMPLIANCE,
        documentation_complete,
    ),
    PartnerCondition(
        "documentation_incomplete",
        "Forced-labor documentation incomplete, not yet due",
        Program.TRADE_COMPLIANCE,
        documentation_incomplete,
    ),
    PartnerCondition(
        "documentation_overdue",
        "Forced-labor documentation overdue",
        Program.TRADE_COMPLIANCE,
        documentation_overdue,
    ),
]
