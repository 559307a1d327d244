"""Every change to benefits data: one function per use case.

Views, the CSV imports, demo data and tests call these. Field changes of figures and
participations are kept by django-simple-history with the actor and reason; proposal
moves write a ProposalEvent in the same transaction. A refused change raises DomainError
with a message a person can read, and changes nothing.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts import audit
from accounts.models import User
from ctpat import outbox, reports
from ctpat.errors import DomainError
from ctpat.permissions import require
from partners.models import Partner

from . import documents, eligibility, permissions, selectors
from .choices import (
    MOVE_TARGETS,
    ImportKind,
    ProposalMove,
    ProposalStatus,
)
from .models import (
    AgencyParticipation,
    Baseline,
    BenefitsReport,
    MetricImport,
    Observation,
    PeriodSummary,
    Proposal,
    ProposalComment,
    ProposalEvent,
)
from .tasks import render_report


def _require_staff(actor: User) -> None:
    require(permissions.can_record_figures(actor))


def _attribute(obj: Any, actor: User, reason: str) -> None:
    """Tell django-simple-history who made the next save, and why (attributes it reads from
    any model it records, which the model does not declare: hence `Any`)."""
    obj._history_user = actor
    obj._change_reason = reason or ""


# --- Figures ------------------------------------------------------------------------


def month_end(period: date) -> date:
    """The standing that counts for a month is the one on its last day (today for this
    month): a suspension stops the benefits of the month it is recorded in."""
    end = date.fromordinal(selectors.add_months(period, 1).toordinal() - 1)
    return min(end, timezone.localdate())


def apply_standing(
    observation: Observation, history: list[tuple[date, eligibility.Standing]]
) -> None:
    """Copy the partner's standing at the end of the month onto its figures."""
    standing = eligibility.standing_on(history, month_end(observation.period))
    observation.tier = standing.tier
    observation.trade_compliance = standing.trade_compliance
    observation.documentation_accepted = standing.documentation_accepted


def observation_record(
    *, actor: User, partner: Partner, data: dict, reason: str = ""
) -> Observation:
    """Record a partner's figures for a month, or correct them (with a reason) if recorded."""
    require(permissions.can_record_partner_figures(actor, partner))
    period = data["period"]
    with transaction.atomic():
        observation = (
            Observation.objects.select_for_update().filter(partner=partner, period=period).first()
        )
        if observation is not None and not reason.strip():
            raise DomainError(
                f"The figures of {period:%B %Y} are recorded already; say why they are corrected.",
                field="reason",
            )
        observation = observation or Observation(partner=partner, recorded_by=actor)
        for name, value in data.items():
            setattr(observation, name, value)
        apply_standing(observation, selectors.standing_histories([partner.pk])[partner.pk])
        observation.full_clean(exclude=["partner", "recorded_by"])
        _attribute(observation, actor, reason or "Figures recorded")
        try:
            with transaction.atomic():
                observation.save()
        except IntegrityError:  # someone recorded the same month a moment ago
            raise DomainError(
                f"The figures of {period:%B %Y} were just recorded by someone else; reload "
                "the page to see them, and correct them with a reason if needed."
            ) from None
        summary_refresh([period])
    return observation


def figures_import(*, actor: User, kind: str, items: list, source: str) -> MetricImport:
    """Record many months at once (a CSV file, demo data): one MetricImport, history rows,
    and the summary of the months touched. `items` are (partner or None, data) pairs; the
    caller has checked them. Call inside a transaction."""
    _require_staff(actor)
    record = MetricImport.objects.create(
        kind=kind, source=source[:200], rows=len(items), imported_by=actor
    )
    common = {"recorded_by": actor, "imported_in": record}
    objects: list[Observation] | list[Baseline]
    model: type[Observation] | type[Baseline]
    if kind == ImportKind.OBSERVATIONS:
        histories = selectors.standing_histories({partner.pk for partner, _ in items})
        observations = []
        for partner, data in items:
            observation = Observation(partner=partner, **data, **common)
            apply_standing(observation, histories[partner.pk])
            observations.append(observation)
        objects, model = observations, Observation
    else:
        objects, model = [Baseline(**data, **common) for _, data in items], Baseline
    bulk_create_with_history(
        objects,
        model,
        batch_size=1000,
        default_user=actor,
        default_change_reason=f"Imported ({record.source})",
    )
    if kind == ImportKind.OBSERVATIONS:
        summary_refresh({o.period for o in objects})
    return record


def baseline_record(*, actor: User, data: dict, reason: str = "") -> Baseline:
    """Record non-members' figures for a month (of one entity type, or all)."""
    _require_staff(actor)
    with transaction.atomic():
        baseline = (
            Baseline.objects.select_for_update()
            .filter(period=data["period"], entity_type=data.get("entity_type", ""))
            .first()
        )
        if baseline is not None and not reason.strip():
            raise DomainError(
                f"The baseline of {data['period']:%B %Y} is recorded already; say why it is "
                "corrected.",
                field="reason",
            )
        baseline = baseline or Baseline(recorded_by=actor)
        for name, value in data.items():
            setattr(baseline, name, value)
        baseline.full_clean(exclude=["recorded_by"])
        _attribute(baseline, actor, reason or "Baseline recorded")
        baseline.save()
    return baseline


def summary_refresh(periods: Iterable[date]) -> int:
    """Add the observations of these months up again into PeriodSummary; returns the rows.

    Call in the transaction that changed the observations, so readers never see figures
    and summary disagree.
    """
    periods = sorted(set(periods))
    groups = (
        Observation.objects.filter(period__in=periods)
        .values("period", "tier", "trade_compliance", "documentation_accepted")
        .annotate(kind=F("partner__entity_type"), **selectors.figure_sums())
        .order_by()
    )
    rows = [
        PeriodSummary(
            **{name: g[selectors.PREFIX + name] or 0 for name in selectors.SUM_FIELDS},
            period=g["period"],
            entity_type=g["kind"],
            tier=g["tier"] or 0,
            trade_compliance=g["trade_compliance"],
            documentation_accepted=g["documentation_accepted"],
        )
        for g in groups
    ]
    with transaction.atomic():
        PeriodSummary.objects.filter(period__in=periods).delete()
        PeriodSummary.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- Proposals ----------------------------------------------------------------------


def proposal_create(*, actor: User, data: dict) -> Proposal:
    """A new proposal, status proposed; CBP staff record it for industry or CBP."""
    require(permissions.can_propose_benefit(actor))
    with transaction.atomic():
        proposal = Proposal(**data, created_by=actor)
        proposal.full_clean(exclude=["created_by"])
        proposal.save()
        ProposalEvent.objects.create(
            proposal=proposal,
            to_status=ProposalStatus.PROPOSED,
            actor=actor,
            reason=f"Proposed by {proposal.sponsor}",
        )
    return proposal


def proposal_move(*, actor: User, proposal: Proposal, move: str, reason: str = "") -> ProposalEvent:
    """Move a proposal along its workflow (choices.TRANSITIONS); supervisors decide.

    Race-safe: the status changes by compare-and-swap from the status this call read,
    so of two supervisors deciding at once the second is told and changes nothing.
    """
    if move not in ProposalMove.values:
        raise DomainError("There is no such decision on a proposal.")
    target = MOVE_TARGETS[ProposalMove(move)]
    if move == ProposalMove.DECLINE and not reason.strip():
        raise DomainError("Say why the proposal is declined.", field="reason")
    with transaction.atomic():
        current = Proposal.objects.get(pk=proposal.pk)
        require(permissions.can_decide_proposal(actor, current, move))
        changes = {"status": target, "status_changed_at": timezone.now()}
        if move == ProposalMove.DECLINE:
            changes["decline_reason"] = reason
        swapped = Proposal.objects.filter(pk=current.pk, status=current.status).update(**changes)
        if not swapped:
            raise DomainError("Someone else decided on this proposal just now; reload the page.")
        from_status = current.status
        before = {field: getattr(current, field) for field in changes}
        for field, value in changes.items():  # the row as swapped, for event.proposal
            setattr(current, field, value)
        audit.record_updated([(current, before)])  # the update sends no signal
        event = ProposalEvent.objects.create(
            proposal=current,
            move=move,
            from_status=from_status,
            to_status=target,
            actor=actor,
            reason=reason,
        )
    return event


def proposal_comment(*, actor: User, proposal: Proposal, text: str) -> ProposalComment:
    require(permissions.can_comment_on_proposal(actor, proposal))
    if not text.strip():
        raise DomainError("Write the comment first.", field="text")
    return ProposalComment.objects.create(proposal=proposal, author=actor, text=text.strip())


# --- Partner government agencies ----------------------------------------------------------


def participation_add(*, actor: User, partner: Partner, data: dict) -> AgencyParticipation:
    """Record that a partner takes part in an agency's benefit or pilot."""
    require(permissions.can_add_participation(actor, partner))
    participation = AgencyParticipation(partner=partner, recorded_by=actor, **data)
    _attribute(participation, actor, "Participation recorded")
    try:
        with transaction.atomic():
            participation.save()
    except IntegrityError:
        raise DomainError(f"{partner} already takes part in {data['offering']}.") from None
    return participation


# --- The yearly report ----------------------------------------------------------------------


def report_issue(*, actor: User, year: int) -> BenefitsReport:
    """A new version of the yearly benefits report, from the figures now; Celery renders it."""
    require(permissions.can_issue_benefits_report(actor))
    if year > timezone.localdate().year:
        raise DomainError("A report is issued for a year that has begun.", field="year")
    with transaction.atomic():
        latest = (
            BenefitsReport.objects.select_for_update().filter(year=year).order_by("-version")
        ).first()
        report = BenefitsReport.objects.create(
            year=year,
            version=(latest.version + 1) if latest else 1,
            snapshot=selectors.report_snapshot(year),
            requested_by=actor,
        )
        outbox.enqueue("benefits.render_report", report_id=report.pk)
    return report


def report_retry(*, report: BenefitsReport, actor: User) -> bool:
    """Render a failed or stuck report again; False when it is being made already."""
    require(permissions.can_retry_benefits_report(actor, report))
    return reports.retry(BenefitsReport, report, render_report)


def report_render(*, report_id: int) -> BenefitsReport:
    """Render and store one version of the yearly report; safe to run again."""
    report = BenefitsReport.objects.get(pk=report_id)
    return reports.render_and_store(
        BenefitsReport,
        report_id,
        render_pdf=documents.render_report_pdf,
        folder=f"benefits-reports/{report.year}",
        on_ready=audit.record_report_issued,
    )
