"""Reads of forced-labor documentation: a partner's state, the review queue, eligibility."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import FieldOffice, User
from ctpat.histograms import day_bucket
from ctpat.models import DOWNLOADABLE
from ctpat.program_rules import rule_date
from partners.choices import CLOSED, Program
from partners.models import Enrollment, Partner

from .choices import WAITING, Handling, OverallState, RequirementState, SubmissionStatus
from .models import Requirement, RequirementVersion, Submission, SubmissionFile


def requirements_in_force(on: date | None = None) -> list[RequirementVersion]:
    """The version of each requirement in force on `on` (today by default)."""
    on = on or timezone.localdate()
    latest = (
        RequirementVersion.objects.filter(
            requirement=OuterRef("requirement"), effective_from__lte=on
        )
        .order_by("-effective_from")
        .values("pk")[:1]
    )
    return list(
        RequirementVersion.objects.filter(pk=Subquery(latest))
        .select_related("requirement")
        .order_by("requirement__number")
    )


def trade_compliance_of(
    partner: Partner, enrollments: Iterable[Enrollment] | None = None
) -> Enrollment | None:
    return next(
        (
            e
            for e in (enrollments if enrollments is not None else partner.enrollments.all())
            if e.program == Program.TRADE_COMPLIANCE and e.status not in CLOSED
        ),
        None,
    )


def due_on(trade: Enrollment | None) -> date | None:
    """Partners accepted before the rule took effect owed it by a set date; others with
    their application, but never before the rule existed: an applicant of July 2022 accepted
    in September owes it from 1 Aug 2022, `max(applied_on, effective)` (DOMAIN.md)."""
    if trade is None:
        return None
    effective = rule_date("forced_labor_effective")
    if trade.accepted_on and trade.accepted_on < effective:
        return rule_date("forced_labor_existing_partners_due")
    return max(trade.applied_on, effective)


@dataclass
class RequirementRow:
    version: RequirementVersion
    state: str
    latest: Submission | None
    history: list = field(default_factory=list)

    @property
    def requirement(self) -> Requirement:
        return self.version.requirement

    @property
    def state_label(self) -> str:
        return RequirementState(self.state).label

    @property
    def needs_upload(self) -> bool:
        return self.version.handling == Handling.UPLOADED


@dataclass
class Documentation:
    partner: Partner
    applies: bool
    due_on: date | None
    rows: list
    overall: str

    @property
    def overall_label(self) -> str:
        return OverallState(self.overall).label

    @property
    def days_left(self) -> int | None:
        return (self.due_on - timezone.localdate()).days if self.due_on else None


def _state(version: RequirementVersion, latest: Submission | None) -> str:
    if latest is None:
        return (
            RequirementState.ON_REQUEST
            if version.handling == Handling.ON_REQUEST
            else RequirementState.MISSING
        )
    return {
        SubmissionStatus.SUBMITTED: RequirementState.SUBMITTED,
        SubmissionStatus.ACCEPTED: RequirementState.ACCEPTED,
        SubmissionStatus.RETURNED: RequirementState.RETURNED,
    }[SubmissionStatus(latest.status)]


def documentation(
    partner: Partner,
    enrollments: Iterable[Enrollment] | None = None,
    *,
    viewer: User | None = None,
) -> Documentation:
    """Each requirement's state for the partner, its due date and the overall state.

    `enrollments` passes the partner's enrollments when the caller already loaded them.
    The submissions' files are those `viewer` may see listed (by their virus scan); without
    a viewer, those anyone may download.
    """
    files = SubmissionFile.objects.order_by("pk")
    files = files.listed_for(viewer) if viewer is not None else files.downloadable()
    trade = trade_compliance_of(partner, enrollments)
    versions = requirements_in_force()
    submissions = list(
        Submission.objects.filter(partner=partner)
        .select_related("submitted_by", "reviewer")
        .prefetch_related(Prefetch("files", queryset=files))
        .order_by("requirement_id", "-version")
    )
    by_requirement: dict[int, list[Submission]] = {}
    for submission in submissions:
        by_requirement.setdefault(submission.requirement_id, []).append(submission)
    rows = []
    for version in versions:
        history = by_requirement.get(version.requirement_id, [])
        latest = next((s for s in history if s.status != SubmissionStatus.SUPERSEDED), None)
        rows.append(RequirementRow(version, _state(version, latest), latest, history))
    due = due_on(trade)
    complete = all(row.state == RequirementState.ACCEPTED for row in rows if row.needs_upload)
    if complete:
        overall = OverallState.COMPLETE
    elif due and due < timezone.localdate():
        overall = OverallState.OVERDUE
    else:
        overall = OverallState.INCOMPLETE
    return Documentation(partner, trade is not None, due, rows, overall)


def missing_for_acceptance(partner: Partner) -> list[str]:
    """The uploaded requirements not yet accepted (Trade Compliance waits for them)."""
    return [
        row.requirement.name
        for row in documentation(partner).rows
        if row.needs_upload and row.state != RequirementState.ACCEPTED
    ]


def partners_with_accepted_documentation() -> QuerySet[Partner]:
    """Partners whose every uploaded requirement has an accepted current version: the
    condition of the forced-labor benefits. A queryset, so other apps filter or count in SQL."""
    uploaded = [
        v.requirement_id for v in requirements_in_force() if v.handling == Handling.UPLOADED
    ]
    return Partner.objects.annotate(
        accepted_requirements=Count(
            "forced_labor_submissions__requirement",
            filter=Q(
                forced_labor_submissions__status=SubmissionStatus.ACCEPTED,
                forced_labor_submissions__requirement__in=uploaded,
            ),
            distinct=True,
        )
    ).filter(accepted_requirements=len(uploaded))


def review_queue(
    user: User,
    *,
    field_office: FieldOffice | None = None,
    partner: Partner | None = None,
    specialist: User | None = None,
) -> QuerySet[Submission]:
    """Submissions waiting for review, oldest first, that the user may see; `specialist`
    keeps those of the partners that specialist looks after."""
    queue = Submission.objects.visible_to(user).filter(status__in=WAITING)
    if field_office:
        queue = queue.filter(partner__field_office=field_office)
    if partner:
        queue = queue.filter(partner=partner)
    if specialist:
        queue = queue.filter(partner__specialist=specialist)
    return queue.order_by("submitted_at", "pk")


def queue_rows(ids: Iterable[int]) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(pk__in=ids)
        .select_related("partner__field_office", "requirement", "submitted_by")
        .annotate(file_count=Count("files", filter=Q(files__scan_status__in=DOWNLOADABLE)))
    )


def submission_for(user: User, submission_id: int) -> Submission:
    return get_object_or_404(
        Submission.objects.visible_to(user).select_related(
            "partner", "requirement", "requirement_version"
        ),
        pk=submission_id,
    )


def requirement(number_or_id: int) -> Requirement:
    return get_object_or_404(Requirement, pk=number_or_id)


# --- The compliance dashboard's figures (dashboard.summary reads these) -----------------


def dashboard_rows(today: date) -> Iterator[dict[str, Any]]:
    """Rows of (panel, bucket, office, specialist, entity_type, value): the review queue by
    age in days, and days from submission to decision, grouped in the database."""
    dims = {
        "dim_office": F("partner__field_office_id"),
        "dim_specialist": F("partner__specialist_id"),
        "dim_entity": F("partner__entity_type"),
    }
    waiting = (
        Submission.objects.filter(status__in=WAITING)
        .values(**dims, day=TruncDate("submitted_at"))
        .annotate(value=Count("pk"))
        .order_by()
    )
    for row in waiting:
        yield {
            "panel": "queue_age",
            "program": "trade_compliance",
            "bucket": str(day_bucket((today - row.pop("day")).days)),
            **row,
        }
    decided = (
        Submission.objects.filter(reviewed_at__isnull=False)
        .values(**dims, sent=TruncDate("submitted_at"), decided=TruncDate("reviewed_at"))
        .annotate(value=Count("pk"))
        .order_by()
    )
    for row in decided:
        days = (row.pop("decided") - row.pop("sent")).days
        yield {
            "panel": "decision_days",
            "program": "trade_compliance",
            "bucket": str(day_bucket(days)),
            **row,
        }
