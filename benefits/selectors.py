"""Reads of benefits: a partner's benefits, effectiveness against the baseline, counts.

The dashboard (issue 8) reads benefits only through the functions marked "Dashboard".
Every figure is added up in the database; effectiveness reads the per-month summary
(models.PeriodSummary), so its query count and time do not grow with partners.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from ctpat.program_rules import rule_int
from forced_labor import selectors as forced_labor
from forced_labor.choices import Handling, OverallState, SubmissionStatus
from partners.choices import EntityType, Program
from partners.models import Enrollment, EnrollmentEvent, Partner

from . import eligibility
from .choices import LOWER_IS_BETTER, METRIC_UNITS, Condition, Metric, ProposalStatus
from .models import (
    Agency,
    AgencyParticipation,
    Baseline,
    Benefit,
    BenefitsReport,
    Observation,
    PeriodSummary,
    Proposal,
)

# --- Periods ------------------------------------------------------------------------


def month_of(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def last_months(count: int = 12, today: date | None = None) -> tuple[date, date]:
    """The first and last month of the `count` complete months before this one."""
    last = add_months(month_of(today or timezone.localdate()), -1)
    return add_months(last, -(count - 1)), last


def min_observations() -> int:
    return rule_int("benefit_min_observations")


# --- A partner's benefits -------------------------------------------------------------


@dataclass
class BenefitStatus:
    benefit: Benefit
    applies: bool
    reason: str
    periods: list = field(default_factory=list)  # eligibility.Period, oldest first


def documentation_since(documentation: forced_labor.Documentation | None) -> date | None:
    """The day the partner's forced-labor documentation became complete, if it is."""
    if documentation is None or documentation.overall != OverallState.COMPLETE:
        return None
    reviewed = [
        row.latest.reviewed_at for row in documentation.rows if row.needs_upload and row.latest
    ]
    return timezone.localdate(max(reviewed)) if reviewed and all(reviewed) else None


def _current_standing(
    partner: Partner,
    enrollments: Sequence[Enrollment],
    documentation: forced_labor.Documentation | None,
) -> eligibility.Standing:
    security = next((e for e in enrollments if e.program == Program.SECURITY), None)
    trade = next((e for e in enrollments if e.program == Program.TRADE_COMPLIANCE), None)
    return eligibility.standing_of(
        security.status if security else "",
        security.tier if security else None,
        trade.status if trade else "",
        documentation_since(documentation) is not None,
    )


def benefits_for_partner(
    partner: Partner,
    enrollments: Sequence[Enrollment] | None = None,
    documentation: forced_labor.Documentation | None = None,
) -> list[BenefitStatus]:
    """Dashboard. Each benefit in the catalogue, whether it applies to the partner now, and why.

    `enrollments` (the partner's Enrollment rows) and `documentation` (a
    forced_labor.selectors.Documentation) may be passed when the caller has them loaded.
    The reason reads as "Security Tier 2" or "needs Tier 2 (now Tier 1)".
    """
    if enrollments is None:
        enrollments = list(partner.enrollments.all())
    if documentation is None:
        documentation = forced_labor.documentation(partner, enrollments)
    standing = _current_standing(partner, enrollments, documentation)
    rows = []
    for benefit in catalogue():
        applies, reason = eligibility.condition_met(benefit.condition, standing)
        rows.append(BenefitStatus(benefit, applies, reason))
    return rows


def benefit_history(
    partner: Partner,
    enrollments: Sequence[Enrollment] | None = None,
    documentation: forced_labor.Documentation | None = None,
) -> list[BenefitStatus]:
    """benefits_for_partner with, for each benefit, the periods it applied."""
    if enrollments is None:
        enrollments = list(partner.enrollments.all())
    if documentation is None:
        documentation = forced_labor.documentation(partner, enrollments)
    events: dict[int, list[EnrollmentEvent]] = {}
    # The current attempts' events only, as the enrollments read (Enrollment.objects).
    for event in EnrollmentEvent.objects.filter(
        enrollment__partner=partner, enrollment__is_current=True
    ).order_by("at", "pk"):
        events.setdefault(event.enrollment_id, []).append(event)
    history = eligibility.standing_history(enrollments, events, documentation_since(documentation))
    rows = benefits_for_partner(partner, enrollments, documentation)
    for row in rows:
        row.periods = eligibility.benefit_periods(row.benefit.condition, history)
    return rows


def standing_histories(partner_ids: Iterable[int]) -> dict:
    """partner id -> its standing history, for many partners in five queries: of their
    current enrollment attempts only (Enrollment.objects; an earlier attempt, rejected,
    withdrawn or removed, is history of its own and gives no standing now)."""
    partner_ids = list(partner_ids)
    enrollments: dict[int, list[Enrollment]] = {}
    for enrollment in Enrollment.objects.filter(partner_id__in=partner_ids):
        enrollments.setdefault(enrollment.partner_id, []).append(enrollment)
    events: dict[int, list[EnrollmentEvent]] = {}
    for event in EnrollmentEvent.objects.filter(
        enrollment__partner_id__in=partner_ids, enrollment__is_current=True
    ).order_by("at", "pk"):
        events.setdefault(event.enrollment_id, []).append(event)
    uploaded = [
        v.requirement_id
        for v in forced_labor.requirements_in_force()
        if v.handling == Handling.UPLOADED
    ]
    documented = dict(
        forced_labor.partners_with_accepted_documentation()
        .filter(pk__in=partner_ids)
        .annotate(
            since=Max(
                "forced_labor_submissions__reviewed_at",
                filter=Q(
                    forced_labor_submissions__status=SubmissionStatus.ACCEPTED,
                    forced_labor_submissions__requirement__in=uploaded,
                ),
            )
        )
        .values_list("pk", "since")
    )
    return {
        pk: eligibility.standing_history(
            enrollments.get(pk, []),
            events,
            timezone.localdate(documented[pk]) if documented.get(pk) else None,
        )
        for pk in partner_ids
    }


def catalogue() -> QuerySet[Benefit]:
    return Benefit.objects.filter(is_active=True).order_by("program", "name")


# --- Effectiveness ----------------------------------------------------------------------

SUM_FIELDS = [
    "observations",
    "shipments",
    "examinations",
    "holds",
    "release_hours_weighted",
    "release_shipments",
    "wro_detentions",
    "wro_held_at_premises",
    "rulings",
    "ruling_days_weighted",
]
# Which months of the summary count as members of a benefit with this condition.
CONDITION_FILTERS = {
    Condition.SECURITY_TIER_1: Q(tier__gte=1),
    Condition.SECURITY_TIER_2: Q(tier__gte=2),
    Condition.SECURITY_TIER_3: Q(tier=3),
    Condition.TRADE_COMPLIANCE: Q(trade_compliance=True),
    Condition.FORCED_LABOR_DOCUMENTATION: Q(trade_compliance=True, documentation_accepted=True),
}


def figure(metric: str, sums: dict) -> float | None:
    """A metric from added-up counts; None when there is nothing to divide by."""

    def ratio(top: str, bottom: str, scale: float = 1.0) -> float | None:
        above, below = sums.get(top) or 0, sums.get(bottom) or 0
        return round(scale * float(above) / float(below), 2) if below else None

    return {
        Metric.EXAMINATION_RATE: lambda: ratio("examinations", "shipments", 100),
        Metric.HOLD_RATE: lambda: ratio("holds", "shipments", 100),
        Metric.HOURS_TO_RELEASE: lambda: ratio("release_hours_weighted", "release_shipments"),
        Metric.REDELIVERY_AVOIDED: lambda: ratio("wro_held_at_premises", "wro_detentions", 100),
        Metric.DAYS_TO_RULING: lambda: ratio("ruling_days_weighted", "rulings"),
    }[Metric(metric)]()


@dataclass
class Comparison:
    """Members against the baseline for one metric: the figures and what is behind them."""

    label: str
    metric: str
    members: float | None
    baseline: float | None
    observations: int  # partner-months behind the members' figure
    baseline_periods: int  # months of baseline behind the baseline figure
    benefit: Benefit | None = None
    minimum: int | None = None  # observations needed; the program-wide rule by default

    @property
    def unit(self) -> str:
        return METRIC_UNITS[Metric(self.metric)]

    @property
    def metric_label(self) -> str:
        return Metric(self.metric).label

    @property
    def too_small(self) -> bool:
        """Too few observations (or no baseline) to claim an effect either way."""
        return (
            self.observations < (self.minimum or min_observations())
            or not self.baseline_periods
            or self.members is None
            or self.baseline is None
        )

    @property
    def ratio(self) -> float | None:
        """How many times better members fare: baseline/members where lower is better."""
        if self.members is None or self.baseline is None:
            return None
        top, bottom = (
            (self.baseline, self.members)
            if self.metric in LOWER_IS_BETTER
            else (self.members, self.baseline)
        )
        return round(top / bottom, 1) if bottom else None

    @property
    def better(self) -> bool | None:
        return None if self.ratio is None else self.ratio > 1

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "benefit": self.benefit.name if self.benefit else "",
            "metric": self.metric,
            "metric_label": self.metric_label,
            "unit": self.unit,
            "members": self.members,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "observations": self.observations,
            "baseline_periods": self.baseline_periods,
            "too_small": self.too_small,
        }


def _summary_sums(prefix: str = "", condition: Q | None = None) -> dict:
    return {
        f"{prefix}{name}": Sum(name, filter=condition, default=0)
        if condition is not None
        else Sum(name, default=0)
        for name in SUM_FIELDS
    }


PREFIX = "sum_"  # aggregate names must not shadow the fields the weighted sums multiply


def figure_sums() -> dict:
    """The counts of monthly figures (Observation or Baseline rows), added up."""
    timed = Q(hours_to_release__isnull=False)
    ruled = Q(days_to_ruling__isnull=False)
    sums = {
        "observations": Count("pk"),
        "shipments": Sum("shipments", default=0),
        "examinations": Sum("examinations", default=0),
        "holds": Sum("holds", default=0),
        "release_hours_weighted": Sum(F("hours_to_release") * F("shipments"), filter=timed),
        "release_shipments": Sum("shipments", filter=timed),
        "wro_detentions": Sum("wro_detentions", default=0),
        "wro_held_at_premises": Sum("wro_held_at_premises", default=0),
        "rulings": Sum("rulings", filter=ruled),
        "ruling_days_weighted": Sum(F("days_to_ruling") * F("rulings"), filter=ruled),
    }
    return {PREFIX + name: value for name, value in sums.items()}


def unprefixed(row: dict) -> dict:
    return {k.removeprefix(PREFIX): v for k, v in row.items()}


def baseline_sums(period_from: date, period_to: date, entity_type: str = "") -> dict:
    """Non-members' counts over the months: of one entity type where its baseline exists,
    otherwise of all non-members."""
    months = Baseline.objects.filter(period__gte=period_from, period__lte=period_to)
    if entity_type:
        typed = unprefixed(months.filter(entity_type=entity_type).aggregate(**figure_sums()))
        if typed["observations"]:
            return typed
    return unprefixed(months.filter(entity_type="").aggregate(**figure_sums()))


def effectiveness(
    period_from: date,
    period_to: date,
    *,
    tier: int | None = None,
    entity_type: str = "",
    benefits: Iterable[Benefit] | None = None,
) -> list[Comparison]:
    """Dashboard. One row per benefit: its metric for members against the baseline.

    Members are the partner-months that counted for the benefit (the partner's standing
    that month met its condition), optionally only of one Security `tier` or
    `entity_type`. Each row has the number of observations behind it and `too_small`.
    Three queries, whatever the number of partners and months.
    """
    summary = PeriodSummary.objects.filter(period__gte=period_from, period__lte=period_to)
    if tier is not None:
        summary = summary.filter(tier=tier)
    if entity_type:
        summary = summary.filter(entity_type=entity_type)
    aggregates: dict[str, Sum] = {}
    for condition, members in CONDITION_FILTERS.items():
        aggregates |= _summary_sums(f"{condition}_", members)
    totals = summary.aggregate(**aggregates)
    baseline = baseline_sums(period_from, period_to, entity_type)
    rows = []
    for benefit in benefits if benefits is not None else catalogue():
        sums = {name: totals[f"{benefit.condition}_{name}"] for name in SUM_FIELDS}
        rows.append(
            Comparison(
                label=benefit.name,
                metric=benefit.metric,
                members=figure(benefit.metric, sums),
                baseline=figure(benefit.metric, baseline),
                observations=sums["observations"] or 0,
                baseline_periods=baseline["observations"] or 0,
                benefit=benefit,
            )
        )
    return rows


def effectiveness_headline(today: date | None = None, months: int = 12) -> Comparison:
    """Dashboard. The one headline: members' examination rate against the baseline over the
    last 12 complete months. Members are Security partners in good standing (Tier 1+)."""
    period_from, period_to = last_months(months, today)
    totals = PeriodSummary.objects.filter(
        CONDITION_FILTERS[Condition.SECURITY_TIER_1],
        period__gte=period_from,
        period__lte=period_to,
    ).aggregate(**_summary_sums())
    baseline = baseline_sums(period_from, period_to)
    return Comparison(
        label=f"Examination rate, {period_from:%b %Y} to {period_to:%b %Y}",
        metric=Metric.EXAMINATION_RATE,
        members=figure(Metric.EXAMINATION_RATE, totals),
        baseline=figure(Metric.EXAMINATION_RATE, baseline),
        observations=totals["observations"] or 0,
        baseline_periods=baseline["observations"] or 0,
    )


def effectiveness_by(
    period_from: date, period_to: date, metric: str = Metric.EXAMINATION_RATE, *, by: str = "tier"
) -> list[Comparison]:
    """Security members' figure for one metric, by tier or by entity type, against the
    baseline (of the same entity type where there is one). Three queries."""
    summary = PeriodSummary.objects.filter(
        CONDITION_FILTERS[Condition.SECURITY_TIER_1],
        period__gte=period_from,
        period__lte=period_to,
    )
    groups = summary.values(by).annotate(**_summary_sums()).order_by(by)
    overall = baseline_sums(period_from, period_to)
    typed = {}
    if by == "entity_type":
        for row in (
            Baseline.objects.filter(period__gte=period_from, period__lte=period_to)
            .exclude(entity_type="")
            .values("entity_type")
            .annotate(**figure_sums())
        ):
            typed[row["entity_type"]] = unprefixed(row)
    rows = []
    for group in groups:
        key = group[by]
        baseline = typed.get(key, overall)
        rows.append(
            Comparison(
                label=f"Tier {key}" if by == "tier" else EntityType(key).label,
                metric=metric,
                members=figure(metric, group),
                baseline=figure(metric, baseline),
                observations=group["observations"] or 0,
                baseline_periods=baseline["observations"] or 0,
            )
        )
    return rows


def partner_figures(partner: Partner, period_from: date, period_to: date) -> list[Comparison]:
    """The partner's own figures for each metric against the baseline (its entity type's
    where there is one). Two queries."""
    own = unprefixed(  # the same sums as a baseline: one row per month
        Observation.objects.filter(
            partner=partner, period__gte=period_from, period__lte=period_to
        ).aggregate(**figure_sums())
    )
    baseline = baseline_sums(period_from, period_to, partner.entity_type)
    return [
        Comparison(
            label=Metric(metric).label,
            metric=metric,
            members=figure(metric, own),
            baseline=figure(metric, baseline),
            observations=own["observations"] or 0,
            baseline_periods=baseline["observations"] or 0,
            minimum=rule_int("benefit_min_partner_months"),
        )
        for metric in Metric
    ]


def partner_observations(
    partner: Partner, period_from: date, period_to: date
) -> QuerySet[Observation]:
    return Observation.objects.filter(
        partner=partner, period__gte=period_from, period__lte=period_to
    ).order_by("-period")


def baseline_list(period_from: date, period_to: date) -> QuerySet[Baseline]:
    return Baseline.objects.filter(period__gte=period_from, period__lte=period_to).order_by(
        "-period", "entity_type"
    )


# --- Proposals and agencies -------------------------------------------------------------


def proposals_by_status() -> dict[str, int]:
    """Dashboard. {status: count} for every proposal status, in workflow order. One query."""
    counts = dict(Proposal.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in ProposalStatus.values}


def proposal_list(status: str = "") -> QuerySet[Proposal]:
    proposals = Proposal.objects.select_related("created_by").annotate(
        comment_count=Count("comments")
    )
    return proposals.filter(status=status) if status else proposals


def proposal_for(user: User, proposal_id: int) -> Proposal:
    """Proposals are CBP's working papers: the views let only CBP staff reach this."""
    return get_object_or_404(Proposal.objects.select_related("created_by"), pk=proposal_id)


def proposal_page(proposal: Proposal) -> dict:
    return {
        "proposal": proposal,
        "events": list(proposal.events.select_related("actor").order_by("at", "pk")),
        "comments": list(proposal.comments.select_related("author")),
    }


def agency_participation_counts(today: date | None = None) -> list[dict]:
    """Dashboard. Per agency: its code and name, and how many partners take part in any of
    its benefits or pilots today. One query."""
    today = today or timezone.localdate()
    current = Q(offerings__participations__since__lte=today) & (
        Q(offerings__participations__until__isnull=True)
        | Q(offerings__participations__until__gte=today)
    )
    return list(
        Agency.objects.annotate(
            partners=Count("offerings__participations__partner", filter=current, distinct=True),
            offering_count=Count("offerings", distinct=True),
        )
        .order_by("code")
        .values("pk", "code", "name", "partners", "offering_count")
    )


def agencies() -> QuerySet[Agency]:
    return Agency.objects.prefetch_related("offerings").order_by("code")


def participations_of(partner: Partner) -> QuerySet[AgencyParticipation]:
    return AgencyParticipation.objects.filter(partner=partner).select_related(
        "offering__agency", "recorded_by"
    )


# --- Reports ----------------------------------------------------------------------------


def report_snapshot(year: int) -> dict:
    """The figures of one calendar year, as the yearly report prints and exports them."""
    period_from, period_to = date(year, 1, 1), date(year, 12, 1)
    benefits = list(catalogue())
    rows = effectiveness(period_from, period_to, benefits=benefits)  # one row per benefit
    return {
        "year": year,
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "marking": settings.REPORT_MARKING,
        "min_observations": min_observations(),
        "benefits": [
            row.as_dict()
            | {
                "program": benefit.get_program_display(),
                "condition": benefit.get_condition_display(),
            }
            for benefit, row in zip(benefits, rows, strict=True)
        ],
        "by_tier": [r.as_dict() for r in effectiveness_by(period_from, period_to, by="tier")],
        "by_entity_type": [
            r.as_dict() for r in effectiveness_by(period_from, period_to, by="entity_type")
        ],
        "proposals": [
            {"status": ProposalStatus(s).label, "count": n}
            for s, n in proposals_by_status().items()
        ],
        "agencies": [
            {"code": a["code"], "name": a["name"], "partners": a["partners"]}
            for a in agency_participation_counts(date(year, 12, 31))
        ],
        "partners": Partner.objects.count(),
    }


def reports() -> QuerySet[BenefitsReport]:
    return BenefitsReport.objects.select_related("requested_by")


def report_for(report_id: int) -> BenefitsReport:
    """The yearly report is published: everyone signed in may read a ready one."""
    return get_object_or_404(BenefitsReport, pk=report_id)
