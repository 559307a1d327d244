"""Reads of validations for pages, reports and other apps, in bounded queries."""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from ctpat.deadlines import running_extension
from ctpat.histograms import day_bucket
from ctpat.program_rules import rule_int

from .choices import (
    OPEN,
    ActionStatus,
    Level,
    ReportStatus,
    RequestStatus,
    Result,
    Status,
)
from .models import (
    ActionDocument,
    CriterionSource,
    CriterionVersion,
    DocumentRequest,
    DocumentRequestTemplate,
    DocumentUpload,
    Finding,
    IssuedReport,
    RequiredAction,
    Validation,
)


def criteria_in_force(entity_type: str, on: date) -> list[CriterionVersion]:
    """The version of each criterion that applies to `entity_type`, as in force on `on`."""
    latest = (
        CriterionVersion.objects.filter(criterion=OuterRef("criterion"), effective_from__lte=on)
        .order_by("-effective_from")
        .values("pk")[:1]
    )
    return list(
        CriterionVersion.objects.filter(
            criterion__applies_to__entity_type=entity_type, pk=Subquery(latest)
        )
        .select_related("criterion__category__focus_area", "source")
        .order_by("criterion__category__number", "criterion__number")
    )


def criteria_grouped(versions: Iterable[CriterionVersion]) -> list[dict[str, Any]]:
    """Versions (from criteria_in_force, in criterion order) grouped by focus area and then
    category, as the booklets present them. No queries: criteria_in_force loaded the rows."""
    areas: dict[int, dict[str, Any]] = {}
    for version in versions:
        category = version.criterion.category
        area = areas.setdefault(
            category.focus_area.number, {"focus_area": category.focus_area, "categories": {}}
        )
        area["categories"].setdefault(category.number, {"category": category, "versions": []})[
            "versions"
        ].append(version)
    return [
        {
            "focus_area": area["focus_area"],
            "categories": [area["categories"][n] for n in sorted(area["categories"])],
        }
        for _, area in sorted(areas.items())
    ]


def sources_for(entity_type: str) -> list[CriterionSource]:
    """The sources whose subset covers `entity_type` (criterion_sources.csv)."""
    return [
        source
        for source in CriterionSource.objects.all()
        if entity_type in source.entity_types.split(";")
    ]


def request_templates(entity_type: str, kind: str) -> list[DocumentRequestTemplate]:
    return list(DocumentRequestTemplate.objects.filter(entity_type=entity_type, kind=kind))


def validation_list(user: User) -> QuerySet[Validation]:
    """Validations the user may see, for the list's filters, count and page of ids."""
    queryset = Validation.objects.visible_to(user)
    if user.role == Role.PARTNER:
        queryset = queryset.exclude(status=Status.CANCELLED)
    return queryset


def validations_led_by(user: User) -> QuerySet[Validation]:
    """Validations this person leads that are still going (not closed or cancelled),
    ending soonest first."""
    return (
        Validation.objects.visible_to(user)
        .filter(lead=user)
        .exclude(status__in=[Status.CLOSED, Status.CANCELLED])
        .select_related("enrollment__partner")
        .order_by("planned_end", "pk")
    )


def validations_awaiting_review(user: User) -> QuerySet[Validation]:
    """Reports in supervisor review that this person is to decide, the longest waiting first.

    The filter is the Return move's rule (can_make_move: the approving supervisor, of the
    partner's office, or an administrator; a validation in supervisor review) in SQL, so
    every row is one this person may decide, and the home page offers "Review" on each
    without judging the rule per row (a query each). Approval also waits for the report to
    be ready (permissions.ready_for_approval); the validation page says what is missing.
    Other supervisors of the office are not listed: the validation names its approver."""
    waiting = Validation.objects.filter(status=Status.SUPERVISOR_REVIEW)
    if user.role == Role.ADMINISTRATOR:
        pass
    elif user.role == Role.SUPERVISOR and user.field_office_id:
        waiting = waiting.filter(
            approving_supervisor=user, enrollment__partner__field_office_id=user.field_office_id
        )
    else:
        return Validation.objects.none()
    return waiting.select_related("enrollment__partner", "lead").order_by("status_changed_at", "pk")


def responses_awaiting_decision(user: User) -> QuerySet[RequiredAction]:
    """Partners' responses to required actions that this person may accept or return,
    oldest response first.

    Those of validations on whose team the person is (lead or member, of the partner's
    office): can_decide_action in SQL, so each row's "Decide" is honoured. Not "of my
    partners": a partner's specialist who is not on the validation's team may not decide
    its actions, and a team member covering for the lead may.

    Document-request uploads need no decision here (RequestStatus: an upload answers the
    request, and nothing accepts or returns it), so they are not listed."""
    if user.role not in (Role.SPECIALIST, Role.SUPERVISOR) or not user.field_office_id:
        return RequiredAction.objects.none()
    team = Q(finding__validation__lead=user)
    if user.role == Role.SPECIALIST:  # a supervisor is on a team only as its lead (relations)
        on_team = Validation.team.through.objects.filter(user=user).values("validation_id")
        team |= Q(finding__validation_id__in=on_team)
    return (
        RequiredAction.objects.filter(
            team,
            status=ActionStatus.RESPONSE_SUBMITTED,
            finding__validation__enrollment__partner__field_office_id=user.field_office_id,
        )
        .select_related(
            "finding__criterion_version__criterion", "finding__validation__enrollment__partner"
        )
        .order_by("responded_at", "pk")
    )


def open_document_requests(partner_ids: Iterable[int]) -> QuerySet[DocumentRequest]:
    """Document requests the partners have yet to answer, soonest due first, in one query
    for any number of partners (the caller has scoped the ids)."""
    return (
        DocumentRequest.objects.filter(
            validation__enrollment__partner_id__in=partner_ids, status=RequestStatus.REQUESTED
        )
        .select_related("validation__enrollment")
        .order_by("due_on", "pk")
    )


def open_required_actions(partner_ids: Iterable[int]) -> QuerySet[RequiredAction]:
    """Required actions the partners have yet to answer (open, or returned to them),
    soonest due first, with their criteria, in one query."""
    return (
        RequiredAction.objects.filter(
            finding__validation__enrollment__partner_id__in=partner_ids,
            status__in=[ActionStatus.OPEN, ActionStatus.RETURNED],
        )
        .select_related("finding__criterion_version__criterion", "finding__validation__enrollment")
        .order_by("due_on", "pk")
    )


def validation_rows(ids: Iterable[int]) -> QuerySet[Validation]:
    """One page of the list, with the partner, the people and open request counts."""
    return (
        Validation.objects.filter(pk__in=ids)
        .select_related("enrollment__partner", "lead", "approving_supervisor")
        .annotate(
            open_requests=Count(
                "document_requests", filter=Q(document_requests__status="requested")
            )
        )
    )


def validation_for(user: User, validation_id: int) -> Validation:
    return get_object_or_404(
        Validation.objects.visible_to(user).select_related(
            "enrollment__partner__field_office", "lead", "approving_supervisor"
        ),
        pk=validation_id,
    )


def findings_of(validation: Validation) -> QuerySet[Finding]:
    return (
        validation.findings.select_related("criterion_version__criterion__category__focus_area")
        .select_related("action")
        .order_by(
            "criterion_version__criterion__category__number", "criterion_version__criterion__number"
        )
    )


NOTED = frozenset({Result.REQUIRED_ACTION, Result.RECOMMENDATION, Result.BEST_PRACTICE})


def findings_grouped(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings (from findings_of, in criterion order) grouped by focus area and category,
    with each category's progress (assessed of total). No queries: findings_of loaded the
    catalogue rows."""
    areas: dict[int, dict[str, Any]] = {}
    for finding in findings:
        category = finding.criterion_version.criterion.category
        area = areas.setdefault(
            category.focus_area_id, {"focus_area": category.focus_area, "categories": {}}
        )
        group = area["categories"].setdefault(
            category.pk, {"category": category, "findings": [], "assessed": 0, "noted": False}
        )
        group["findings"].append(finding)
        group["assessed"] += bool(finding.result)
        # Shown open on the page: a category with something to act on or to recognise.
        group["noted"] |= finding.result in NOTED
    grouped = []
    for area in sorted(areas.values(), key=lambda a: a["focus_area"].number):
        categories = sorted(area["categories"].values(), key=lambda c: c["category"].number)
        for group in categories:
            group["total"] = len(group["findings"])
        grouped.append({"focus_area": area["focus_area"], "categories": categories})
    return grouped


def result_counts(validation: Validation) -> list[dict[str, Any]]:
    """How many findings have each result, by level (Must, Should), in one query: what the
    supervisor weighs to approve Tier 2, Tier 3 or failed."""
    counts = {
        (row["result"], row["criterion_version__level"]): row["n"]
        for row in validation.findings.values("result", "criterion_version__level")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = []
    for value, label in [*Result.choices, ("", _("Not assessed"))]:
        must, should = counts.get((value, Level.MUST), 0), counts.get((value, Level.SHOULD), 0)
        if must or should:
            rows.append({"result": value, "label": label, "must": must, "should": should})
    return rows


def documents_on_file(
    partner_id: int, exclude_validation: int | None = None
) -> list[DocumentUpload]:
    """Documents the partner already gave CBP in validations, newest first."""
    uploads = (
        DocumentUpload.objects.downloadable()
        .filter(request__validation__enrollment__partner_id=partner_id)
        .select_related("request__validation")
    )
    if exclude_validation:
        uploads = uploads.exclude(request__validation_id=exclude_validation)
    return list(uploads.order_by("-uploaded_at")[:50])


def validation_page(user: User, validation_id: int) -> dict:
    """Everything the validation page shows, in a fixed number of queries.

    Partner users never see findings before approval, internal comments, drafts of the
    document requests, or reports that are not ready.
    """
    validation = validation_for(user, validation_id)
    is_partner = user.role == Role.PARTNER
    # Files are listed by their scan: quarantined ones to nobody, pending ones to their uploader.
    uploads = Prefetch(
        "uploads", DocumentUpload.objects.listed_for(user).select_related("uploaded_by")
    )
    # django-stubs 5.2 takes a Prefetch of a custom queryset (DocumentUploadQuerySet, from
    # DocumentUpload.objects) for a mismatch in prefetch_related; Django accepts any queryset.
    requests = validation.document_requests.prefetch_related(uploads)  # type: ignore[arg-type]
    requests = requests.select_related("on_file")
    events = validation.events.select_related("actor")
    reports = validation.reports.all()
    findings = list(findings_of(validation))
    if is_partner:
        requests = requests.exclude(status="draft")
        events = events.filter(internal=False)
        reports = reports.filter(status=ReportStatus.READY)
        if validation.status not in (Status.APPROVED, Status.CLOSED):
            findings = []
    actions = list(
        RequiredAction.objects.filter(finding__validation=validation)
        .select_related("finding__criterion_version__criterion")
        .prefetch_related(Prefetch("documents", ActionDocument.objects.listed_for(user)))
    )
    return {
        "validation": validation,
        "partner": validation.enrollment.partner,
        "team": list(validation.team.all()),
        "sites": list(validation.sites.all()),
        "requests": list(requests),
        "events": list(events),
        "reports": list(reports),
        "findings": findings,
        "finding_groups": findings_grouped(findings),
        "actions": actions,
        "on_file": documents_on_file(validation.enrollment.partner_id, validation.pk)
        if not is_partner
        else [],
    }


def report_snapshot(validation: Validation) -> dict:
    """The data a report is made from, frozen into the issued report."""
    partner = validation.enrollment.partner
    findings = list(findings_of(validation))
    actions = {
        a.finding_id: a for a in RequiredAction.objects.filter(finding__validation=validation)
    }
    return {
        "partner": {
            "legal_name": partner.legal_name,
            "account_number": partner.account_number,
            "entity_type": partner.get_entity_type_display(),
            "country": partner.country.name,
        },
        "program": "Security",
        "kind": validation.get_kind_display(),
        "mode": validation.get_mode_display(),
        "planned_start": validation.planned_start.isoformat(),
        "planned_end": validation.planned_end.isoformat(),
        "approved_on": validation.approved_on.isoformat() if validation.approved_on else None,
        "criteria_date": validation.criteria_date.isoformat(),
        "outcome": f"Tier {validation.outcome_tier}" if validation.outcome_tier else "Failed",
        "lead": str(validation.lead),
        "team": [str(person) for person in validation.team.all()],
        "supervisor": str(validation.approving_supervisor),
        "sites": [
            {"name": s.name, "kind": s.get_kind_display(), "place": f"{s.city}, {s.country.name}"}
            for s in validation.sites.all()
        ],
        "findings": [
            {
                "code": f.criterion_version.criterion.code,
                "focus_area": f.criterion_version.criterion.category.focus_area.name,
                "category": str(f.criterion_version.criterion.category),
                "category_number": f.criterion_version.criterion.category.number,
                "level": f.criterion_version.get_level_display(),
                "text": f.criterion_version.text,
                "result": f.result,
                "result_label": f.get_result_display(),
                "narrative": f.narrative,
                "due_on": actions[f.pk].due_on.isoformat() if f.pk in actions else None,
            }
            for f in findings
        ],
        "results": {r.value: r.label for r in Result},
    }


def report_for(user: User, report_id: int) -> IssuedReport:
    """A report the user may download: partner users only ready ones."""
    reports = IssuedReport.objects.visible_to(user).select_related(
        "validation__enrollment__partner"
    )
    if user.role == Role.PARTNER:
        reports = reports.filter(status=ReportStatus.READY)
    return get_object_or_404(reports, pk=report_id)


def request_for(user: User, request_id: int) -> DocumentRequest:
    requests = DocumentRequest.objects.visible_to(user).select_related(
        "validation__enrollment__partner"
    )
    if user.role == Role.PARTNER:
        requests = requests.exclude(status="draft")
    return get_object_or_404(requests, pk=request_id)


# --- The compliance dashboard's figures (dashboard.summary reads these) -----------------


def _partner_dimensions(path: str) -> dict:
    return {
        "dim_office": F(f"{path}__field_office_id"),
        "dim_specialist": F(f"{path}__specialist_id"),
        "dim_entity": F(f"{path}__entity_type"),
    }


def dashboard_rows(today: date) -> Iterator[dict[str, Any]]:
    """Rows of (panel, bucket, office, specialist, entity_type, value) for validations and
    required actions, grouped in the database by the partner's field office, specialist
    and entity type (the dashboard's filters)."""
    dims = _partner_dimensions("enrollment__partner")
    for row in (
        Validation.objects.filter(status__in=OPEN)
        .values(**dims, bucket=F("status"))
        .annotate(value=Count("pk"))
        .order_by()
    ):
        yield {"panel": "validations", "program": "security", **row}
    dims = _partner_dimensions("finding__validation__enrollment__partner")
    unanswered = [ActionStatus.OPEN, ActionStatus.RETURNED]
    for row in (
        RequiredAction.objects.exclude(status=ActionStatus.ACCEPTED)
        .values(**dims)
        .annotate(
            open=Count("pk"),
            overdue=Count(
                "pk",
                filter=Q(status__in=unanswered, due_on__lt=today)
                & ~running_extension("required_action", OuterRef("pk"), today),
            ),
            to_decide=Count("pk", filter=Q(status=ActionStatus.RESPONSE_SUBMITTED)),
        )
        .order_by()
    ):
        base = {k: row[k] for k in ("dim_office", "dim_specialist", "dim_entity")}
        for bucket in ("open", "overdue", "to_decide"):
            if row[bucket]:
                yield {
                    "panel": "actions",
                    "program": "security",
                    "bucket": bucket,
                    **base,
                    "value": row[bucket],
                }
    # Days from the report (required_action_days before the due date) to CBP's acceptance,
    # by day. The count in force today: actions due under an earlier count are off by the
    # difference, which a day-bucket histogram tolerates.
    issued_days = rule_int("required_action_days")
    closed = (
        RequiredAction.objects.filter(status=ActionStatus.ACCEPTED, decided_at__isnull=False)
        .values(**dims, due=F("due_on"), decided=TruncDate("decided_at"))
        .annotate(value=Count("pk"))
        .order_by()
    )
    for row in closed:
        days = (row.pop("decided") - row.pop("due")).days + issued_days
        yield {
            "panel": "action_close_days",
            "program": "security",
            "bucket": str(day_bucket(days)),
            **row,
        }


ACTION_STATES = {
    "open": ("Not yet accepted", ~Q(status=ActionStatus.ACCEPTED)),
    "overdue": (
        "Overdue: not answered by the due date",
        Q(status__in=[ActionStatus.OPEN, ActionStatus.RETURNED]),
    ),
    "to_decide": ("Responses awaiting a CBP decision", Q(status=ActionStatus.RESPONSE_SUBMITTED)),
    "closed": ("Accepted (closed)", Q(status=ActionStatus.ACCEPTED)),
}


def required_actions(user: User) -> QuerySet[RequiredAction]:
    """Required actions the user may see, soonest due first; the dashboard's
    required-action figures link to their list (filtered by validations.filters)."""
    return (
        RequiredAction.objects.visible_to(user)
        .select_related(
            "finding__criterion_version__criterion", "finding__validation__enrollment__partner"
        )
        .order_by("due_on", "pk")
    )


def in_action_state(
    actions: QuerySet[RequiredAction], state: str, today: date
) -> QuerySet[RequiredAction]:
    """The actions in one of ACTION_STATES (the open ones for an unknown state)."""
    label, condition = ACTION_STATES.get(state, ACTION_STATES["open"])
    actions = actions.filter(condition)
    if state == "overdue":
        actions = actions.filter(due_on__lt=today).exclude(
            running_extension("required_action", OuterRef("pk"), today)
        )
    return actions
