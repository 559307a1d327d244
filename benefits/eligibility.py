"""Which benefits a partner has, and since when, derived from its enrollments and
forced-labor documentation. Pure functions over loaded rows: the selectors load, this
decides, so the same rule serves the partner page, the history and recorded figures.

A benefit applies while its condition holds: a Security status in good standing
(certified or validated) at the tier asked, Trade Compliance accepted, forced-labor
documentation accepted. A suspension is no good standing, so benefits stop on the day
the suspension is recorded and start again on reinstatement.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from partners.choices import ENROLLMENT_STATE, Program, Status

from .choices import Condition

GOOD_SECURITY = frozenset({Status.CERTIFIED, Status.VALIDATED})


@dataclass(frozen=True)
class Standing:
    """A partner's place in the programs on one day."""

    security_status: str = ""
    tier: int | None = None  # only while in good standing
    trade_compliance_status: str = ""
    documentation_accepted: bool = False

    @property
    def trade_compliance(self) -> bool:
        return self.trade_compliance_status == Status.ACCEPTED


def standing_of(security_status, tier, trade_status, documentation_accepted) -> Standing:
    good = security_status in GOOD_SECURITY
    return Standing(
        security_status or "",
        tier if good else None,
        trade_status or "",
        bool(documentation_accepted),
    )


def _security_reason(standing: Standing, tier: int) -> tuple[bool, str]:
    need = "Security Tier 3" if tier == 3 else f"Security Tier {tier} or above"
    if standing.tier is not None and standing.tier >= tier:
        return True, f"Security Tier {standing.tier}"
    if standing.security_status in (Status.SUSPENDED, Status.REMOVED, Status.WITHDRAWN):
        state = ENROLLMENT_STATE[Status(standing.security_status)]
        return False, f"needs {need}; Security is {state}"
    if standing.tier is None:
        return False, f"needs {need}; not certified in Security"
    return False, f"needs Tier {tier} (now Tier {standing.tier})"


def condition_met(condition: str, standing: Standing) -> tuple[bool, str]:
    """(applies, why): the reason a person reads beside the benefit, such as "needs Tier 2"."""
    if condition == Condition.SECURITY_TIER_1:
        return _security_reason(standing, 1)
    if condition == Condition.SECURITY_TIER_2:
        return _security_reason(standing, 2)
    if condition == Condition.SECURITY_TIER_3:
        return _security_reason(standing, 3)
    if standing.trade_compliance:
        if condition == Condition.TRADE_COMPLIANCE:
            return True, "Trade Compliance accepted"
        if standing.documentation_accepted:
            return True, "forced-labor documentation accepted"
        return False, "needs the forced-labor documentation accepted"
    if standing.trade_compliance_status:
        state = ENROLLMENT_STATE[Status(standing.trade_compliance_status)]
        return False, f"needs Trade Compliance accepted; it is {state}"
    return False, "needs Trade Compliance accepted"


# --- History ------------------------------------------------------------------------


def _status_changes(enrollment, events) -> list[tuple[date, str, int | None]]:
    """(day, status, tier) of each move of one enrollment, oldest first.

    Enrollments recorded without moves (imports, older data) are read from their dates.
    """
    if events:
        # A move takes effect on its decision date where the enrollment keeps one (a
        # certification dated back, a suspension letter), else on the day it was recorded.
        # Moves happen in order, so a later move's date bounds the earlier ones.
        dated = {
            Status.APPLICANT: enrollment.applied_on,
            Status.CERTIFIED: enrollment.certified_on,
            Status.VALIDATED: enrollment.last_validated_on,
            Status.ACCEPTED: enrollment.accepted_on,
            Status.SUSPENDED: enrollment.suspended_on,
        }
        changes, bound, seen = [], None, set()
        for event in reversed(events):
            day = timezone.localdate(event.at)
            if event.to_status not in seen and dated.get(event.to_status):
                day = min(day, dated[event.to_status])
            seen.add(event.to_status)
            bound = day if bound is None else min(day, bound)
            changes.append((bound, event.to_status, event.tier))
        return changes[::-1]
    changes = [(enrollment.applied_on, Status.APPLICANT, None)]
    if enrollment.certified_on:
        changes.append((enrollment.certified_on, Status.CERTIFIED, 1))
    if enrollment.last_validated_on:
        changes.append((enrollment.last_validated_on, Status.VALIDATED, enrollment.tier))
    if enrollment.accepted_on:
        changes.append((enrollment.accepted_on, Status.ACCEPTED, None))
    if enrollment.status != changes[-1][1]:
        on = enrollment.suspended_on or timezone.localdate(enrollment.status_changed_at)
        changes.append((max(on, changes[-1][0]), enrollment.status, enrollment.tier))
    return sorted(changes, key=lambda c: c[0])


def standing_history(
    enrollments, events_by_enrollment: dict, documentation_since: date | None
) -> list[tuple[date, Standing]]:
    """The partner's standing from each day it changed, oldest first."""
    changes = []  # (day, program or "documentation", status, tier)
    for enrollment in enrollments:
        events = sorted(events_by_enrollment.get(enrollment.pk, []), key=lambda e: (e.at, e.pk))
        for day, status, tier in _status_changes(enrollment, events):
            changes.append((day, enrollment.program, status, tier))
    if documentation_since:
        changes.append((documentation_since, "documentation", "", None))
    changes.sort(key=lambda c: c[0])
    history: list[tuple[date, Standing]] = []
    security, tier, trade, documented = "", None, "", False
    for day, kind, status, new_tier in changes:
        if kind == Program.SECURITY:
            security, tier = status, new_tier if new_tier is not None else tier
        elif kind == Program.TRADE_COMPLIANCE:
            trade = status
        else:
            documented = True
        standing = standing_of(security, tier, trade, documented)
        if history and history[-1][0] == day:
            history[-1] = (day, standing)
        else:
            history.append((day, standing))
    return history


def standing_on(history: list[tuple[date, Standing]], day: date) -> Standing:
    current = Standing()
    for since, standing in history:
        if since > day:
            break
        current = standing
    return current


@dataclass
class Period:
    start: date
    end: date | None  # None: applies still
    reason: str


def benefit_periods(condition: str, history: list[tuple[date, Standing]]) -> list[Period]:
    """When a benefit with this condition applied: one period per stretch, oldest first."""
    periods: list[Period] = []
    for day, standing in history:
        applies, reason = condition_met(condition, standing)
        if applies and (not periods or periods[-1].end is not None):
            periods.append(Period(day, None, reason))
        elif not applies and periods and periods[-1].end is None:
            periods[-1].end = day
    return periods
