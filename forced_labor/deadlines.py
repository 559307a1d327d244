"""Forced-labor documentation owed by Trade Compliance partners (DOMAIN.md)."""

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext

from ctpat.deadlines import (
    ConsequenceAction,
    Deadline,
    DeadlineKind,
    DueItem,
    NextStep,
    OwedBy,
    deadline_key,
    for_partners,
    path_maker,
)
from ctpat.errors import DomainError
from ctpat.program_rules import rule_date
from partners import services as partner_services
from partners.choices import CLOSED, Program, Status, SuspensionCause
from partners.models import Enrollment

from .choices import OverallState
from .selectors import documentation as documentation_of
from .selectors import partners_with_accepted_documentation


def _suspend_trade_compliance(*, actor, partner_id: int, reason: str, **_) -> NextStep:
    """Confirmed by a supervisor: suspend Trade Compliance, if the documentation is still not
    accepted and there is an accepted enrollment to suspend."""
    trade = (
        Enrollment.objects.select_for_update()
        .filter(partner_id=partner_id, program=Program.TRADE_COMPLIANCE)
        .first()
    )
    if trade is None or trade.status != Status.ACCEPTED:
        raise DomainError(
            "Trade Compliance is no longer accepted for this partner, so there is "
            "nothing to suspend; dismiss the proposal instead."
        )
    if partners_with_accepted_documentation().filter(pk=partner_id).exists():
        raise DomainError(
            "The forced-labor documentation has been accepted since this was "
            "proposed; dismiss the proposal instead."
        )
    partner_services.enrollment_suspend(
        enrollment=trade,
        actor=actor,
        reason=reason,
        cause=SuspensionCause.FALSE_INFORMATION,
    )
    return NextStep(
        gettext(
            "Trade Compliance is suspended as of today and the partner's users were told; "
            "the partner answers with a corrective action plan, and reinstatement or removal "
            "is decided on the partner page."
        ),
        reverse("partners:detail", args=[partner_id]),
        gettext("Open the partner page"),
    )


SUSPEND_TRADE_COMPLIANCE = ConsequenceAction(
    "suspend_trade_compliance",
    "Suspend Trade Compliance (forced-labor documentation overdue)",
    "Confirm suspends Trade Compliance as of today.",
    program=Program.TRADE_COMPLIANCE,
    confirm=_suspend_trade_compliance,
)


def _documentation(partner, *, enrollments=None, documentation=None, **_):
    """`documentation`: the partner's selectors.documentation(), when the caller has it."""
    if not any(e.program == Program.TRADE_COMPLIANCE for e in enrollments or []):
        return
    state = documentation or documentation_of(partner, enrollments)
    if state.applies and state.due_on and state.overall != OverallState.COMPLETE:
        trade = next(e for e in enrollments if e.program == Program.TRADE_COMPLIANCE)
        yield Deadline(
            "forced_labor",
            "Forced-labor documentation",
            state.due_on,
            OwedBy.PARTNER,
            key=deadline_key("forced_labor", trade.pk, state.due_on),
        )


def _due_items(until, partner_ids=None):
    """Open Trade Compliance enrollments whose documentation is due by `until` and not yet
    accepted in full: partners accepted before the rule took effect owe it by a set date,
    others with their application but not before the rule existed (selectors.due_on, here as
    a filter)."""
    effective = rule_date("forced_labor_effective")
    existing_due = rule_date("forced_labor_existing_partners_due")
    earlier = Q(accepted_on__lt=effective)
    due_by = Q(applied_on__lte=until) & ~earlier if effective <= until else Q(pk__in=[])
    if existing_due <= until:
        due_by |= earlier
    owing = (
        for_partners(Enrollment.objects.filter(program=Program.TRADE_COMPLIANCE), partner_ids)
        .exclude(status__in=CLOSED)
        .filter(due_by)
        .exclude(partner__in=partners_with_accepted_documentation().values("pk"))
        .values(
            "pk",
            "partner_id",
            "applied_on",
            "accepted_on",
            "status",
            specialist_id=F("partner__specialist_id"),
            office_id=F("partner__field_office_id"),
            partner_name=F("partner__legal_name"),
        )
    )
    documentation_path = path_maker("forced_labor:partner")
    for row in owing:
        accepted = row["accepted_on"]
        if accepted and accepted < effective:
            due_on = existing_due
        else:
            due_on = max(row["applied_on"], effective)
        yield DueItem(
            key=deadline_key("forced_labor", row["pk"], due_on),
            partner_id=row["partner_id"],
            due_on=due_on,
            label="Forced-labor documentation",
            url=documentation_path(row["partner_id"]),
            owed_by=OwedBy.PARTNER,
            specialist_id=row["specialist_id"],
            field_office_id=row["office_id"],
            partner_name=row["partner_name"],
            # Only an accepted partner can be suspended; an applicant's application waits.
            consequences=(SUSPEND_TRADE_COMPLIANCE,) if row["status"] == Status.ACCEPTED else (),
        )


# Registered by the app's AppConfig.ready().
KINDS = [
    DeadlineKind(
        "forced_labor",
        "Forced-labor documentation",
        OwedBy.PARTNER,
        _documentation,
        due_items=_due_items,
        program=Program.TRADE_COMPLIANCE,
        consequences=(SUSPEND_TRADE_COMPLIANCE,),
    ),
]
