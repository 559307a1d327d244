"""Benefits pages. Each view: check access, bind the form, call one service, render."""

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit
from accounts.access import role_required
from accounts.choices import CBP_STAFF, Role
from accounts.once import claim_once
from ctpat import reports, uploads
from ctpat.csv_preview import CsvUploadForm
from ctpat.errors import DomainError, add_to_form
from ctpat.models import ReportStatus
from ctpat.pages import csv_import_page, form_page
from ctpat.permissions import deny
from partners import selectors as partner_selectors
from partners.choices import EntityType

from . import csv_import, documents, permissions, selectors, services
from .choices import DECIDERS, PROPOSAL_STATE, ImportKind, Metric, ProposalMove, ProposalStatus
from .filters import ProposalFilter
from .forms import (
    BaselineEntryForm,
    CommentForm,
    ObservationEntryForm,
    ParticipationForm,
    ProposalForm,
    ProposalMoveForm,
    ReportForm,
)

EVERYONE = frozenset(Role)


def _month(value: str, default: date) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        return default


def _submitted(request, form, act) -> bool:
    """Bind-and-act for the forms that create something: claim the form's one-time token
    and call `act(data)` in one transaction; a refusal goes on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("submission", "reason")}
    try:
        with transaction.atomic():
            claim_once(form, request.user)
            form.result = act(data)
    except DomainError as error:
        add_to_form(form, error)
        return False
    return True


def _chart(rows, title):
    # Built from numbers and escaped labels by ctpat.charts.
    return mark_safe(documents.comparison_chart([r.as_dict() for r in rows], title))  # noqa: S308


@role_required(EVERYONE)
def benefit_list(request):
    """The catalogue: what each benefit gives, what grants it and what measures it."""
    context = {"benefits": selectors.catalogue(), "is_staff": request.user.is_cbp_staff}
    if request.user.role == Role.PARTNER:
        context["memberships"] = list(partner_selectors.memberships_of(request.user))
    else:
        context["headline"] = selectors.effectiveness_headline()
    return render(request, "benefits/benefit_list.html", context)


@role_required(EVERYONE)
def partner_benefits(request, partner_id):
    """A partner's benefits with the reason each applies or not, their history, and the
    partner's own figures against the baseline."""
    partner = partner_selectors.partner_for(request.user, partner_id)
    period_from, period_to = selectors.last_months(12)
    figures = selectors.partner_figures(partner, period_from, period_to)
    return render(
        request,
        "benefits/partner_benefits.html",
        {
            "partner": partner,
            "benefits": selectors.benefit_history(partner),
            "figures": figures,
            "chart": _chart(
                [f for f in figures if f.unit == "%"],
                f"{partner.legal_name} against non-members, {period_from:%b %Y} to "
                f"{period_to:%b %Y}",
            ),
            "observations": selectors.partner_observations(partner, period_from, period_to),
            "participations": selectors.participations_of(partner),
            "period_from": period_from,
            "period_to": period_to,
            "can_record_figures": permissions.can_record_partner_figures(request.user, partner),
            "can_add_participation": permissions.can_add_participation(request.user, partner),
        },
    )


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def observation_add(request, partner_id):
    partner = partner_selectors.partner_for(request.user, partner_id)
    deny(permissions.can_record_partner_figures(request.user, partner))
    form = ObservationEntryForm(request.POST or None)
    if _submitted(
        request,
        form,
        lambda data: services.observation_record(
            actor=request.user,
            partner=partner,
            data=data,
            reason=form.cleaned_data["reason"],
        ),
    ):
        messages.success(request, f"The figures of {form.result.period:%B %Y} are recorded.")
        return redirect("benefits:partner", partner.pk)
    return form_page(
        request,
        title="Record monthly figures",
        intro="One month of this partner's shipments, examinations, holds and release times, "
        "with where the figures come from. The partner's standing that month is taken from "
        "its enrollments.",
        form=form,
        submit="Record figures",
        cancel=reverse("benefits:partner", args=[partner.pk]),
        partner=partner,
    )


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def baseline_add(request):
    form = BaselineEntryForm(request.POST or None)
    if _submitted(
        request,
        form,
        lambda data: services.baseline_record(
            actor=request.user,
            data=data,
            reason=form.cleaned_data["reason"],
        ),
    ):
        messages.success(request, f"The baseline of {form.result.period:%B %Y} is recorded.")
        return redirect("benefits:effectiveness")
    return form_page(
        request,
        title="Record a non-member baseline",
        intro="Non-members' figures for one month, for all entity types or one.",
        form=form,
        submit="Record baseline",
        cancel=reverse("benefits:effectiveness"),
    )


def _figures_import(request, kind):
    header = csv_import.HEADERS[kind]
    return csv_import_page(
        request,
        template="benefits/figures_import.html",
        context={"header": header, "kind": ImportKind(kind)},
        form_class=CsvUploadForm,
        parse=lambda upload: csv_import.parse_upload(upload, kind=kind, user=request.user),
        run_import=lambda signed: csv_import.import_figures(
            actor=request.user, kind=kind, signed=signed
        ),
        retry_url=request.resolver_match.view_name,
        done_url="benefits:effectiveness",
        done=lambda record: f"Imported {record.rows} rows from {record.source}.",
    )


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def observation_import(request):
    return _figures_import(request, ImportKind.OBSERVATIONS)


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def baseline_import(request):
    return _figures_import(request, ImportKind.BASELINES)


@role_required(CBP_STAFF)
def effectiveness(request):
    """Members against the baseline per benefit, by tier and by entity type (CBP sees all)."""
    default_from, default_to = selectors.last_months(12)
    period_from = _month(request.GET.get("from", ""), default_from)
    period_to = _month(request.GET.get("to", ""), default_to)
    tier = request.GET.get("tier", "")
    entity_type = request.GET.get("entity_type", "")
    if entity_type not in EntityType.values:
        entity_type = ""
    rows = selectors.effectiveness(
        period_from,
        period_to,
        tier=int(tier) if tier in ("1", "2", "3") else None,
        entity_type=entity_type,
    )
    by_tier = selectors.effectiveness_by(period_from, period_to, by="tier")
    by_type = selectors.effectiveness_by(period_from, period_to, by="entity_type")
    return render(
        request,
        "benefits/effectiveness.html",
        {
            "rows": rows,
            "chart": _chart(
                rows, f"Members against non-members, {period_from:%b %Y} to {period_to:%b %Y}"
            ),
            "by_tier": by_tier,
            "by_type": by_type,
            "period_from": period_from,
            "period_to": period_to,
            "tier": tier,
            "entity_type": entity_type,
            "entity_types": EntityType.choices,
            "baselines": selectors.baseline_list(period_from, period_to)[:48],
            "min_observations": selectors.min_observations(),
            "exam_rate": Metric.EXAMINATION_RATE.label,
        },
    )


# --- Proposals ----------------------------------------------------------------------------


@role_required(CBP_STAFF)
def proposal_list(request):
    filterset = ProposalFilter(request.GET, queryset=selectors.proposal_list())
    filterset.is_valid()  # an unknown status is left out, and the page says so
    status = filterset.form.cleaned_data.get("status") or ""
    return render(
        request,
        "benefits/proposal_list.html",
        {
            "filter": filterset,
            "proposals": filterset.qs,
            "counts": selectors.proposals_by_status(),
            "statuses": ProposalStatus.choices,
            "status": status,
        },
    )


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    form = ProposalForm(request.POST or None)
    if _submitted(
        request, form, lambda data: services.proposal_create(actor=request.user, data=data)
    ):
        messages.success(request, "The proposal is recorded.")
        return redirect("benefits:proposal", form.result.pk)
    return form_page(
        request,
        title="Propose a benefit",
        intro="A new benefit proposed by industry (COAC) or by CBP: who sponsors it, why, and "
        "the figure that would show its effect. Supervisors decide.",
        form=form,
        submit="Record the proposal",
        cancel=reverse("benefits:proposals"),
    )


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def proposal_detail(request, proposal_id):
    proposal = selectors.proposal_for(request.user, proposal_id)
    form = CommentForm(request.POST or None)
    if _submitted(
        request,
        form,
        lambda data: services.proposal_comment(
            actor=request.user,
            proposal=proposal,
            text=data["text"],
        ),
    ):
        messages.success(request, "Your comment is added.")
        return redirect("benefits:proposal", proposal.pk)
    context = selectors.proposal_page(proposal)
    context |= {
        "form": form,
        "moves": permissions.allowed_proposal_moves(request.user, proposal),
    }
    return render(request, "benefits/proposal_detail.html", context)


@role_required(DECIDERS)
@require_http_methods(["GET", "POST"])
def proposal_move(request, proposal_id, move):
    proposal = selectors.proposal_for(request.user, proposal_id)
    if move not in ProposalMove.values:
        raise Http404
    move = ProposalMove(move)
    if request.method == "GET":  # a decision sent meanwhile is answered by the service
        deny(permissions.can_decide_proposal(request.user, proposal, move))
    form = ProposalMoveForm(request.POST or None, move=move)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.proposal_move(
                actor=request.user,
                proposal=proposal,
                move=move,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            state = PROPOSAL_STATE[ProposalStatus(event.proposal.status)]
            messages.success(request, _("The proposal is %(state)s.") % {"state": state})
        return redirect("benefits:proposal", proposal.pk)
    return form_page(
        request,
        title=f"{move.label}: {proposal.title}",
        intro=_(
            "The proposal is %(state)s. The decision and its reason go on the proposal's history."
        )
        % {"state": PROPOSAL_STATE[ProposalStatus(proposal.status)]},
        form=form,
        submit=move.label,
        cancel=reverse("benefits:proposal", args=[proposal.pk]),
    )


# --- Partner government agencies ------------------------------------------------------------


@role_required(EVERYONE)
def agency_list(request):
    counts = {a["pk"]: a["partners"] for a in selectors.agency_participation_counts()}
    agencies = list(selectors.agencies())
    for agency in agencies:
        agency.partner_count = counts.get(agency.pk, 0)
    return render(
        request,
        "benefits/agency_list.html",
        {"agencies": agencies, "is_staff": request.user.is_cbp_staff},
    )


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def participation_add(request, partner_id):
    partner = partner_selectors.partner_for(request.user, partner_id)
    deny(permissions.can_add_participation(request.user, partner))
    form = ParticipationForm(request.POST or None)
    if _submitted(
        request,
        form,
        lambda data: services.participation_add(
            actor=request.user,
            partner=partner,
            data=data,
        ),
    ):
        messages.success(request, f"{partner} takes part in {form.result.offering}.")
        return redirect("benefits:partner", partner.pk)
    return form_page(
        request,
        title="Record participation in an agency's benefit or pilot",
        form=form,
        submit="Record participation",
        cancel=reverse("benefits:partner", args=[partner.pk]),
        partner=partner,
    )


# --- The yearly report --------------------------------------------------------------------


def _report_context(request, form=None):
    can_issue = bool(permissions.can_issue_benefits_report(request.user))
    return {
        "reports": list(selectors.reports()[:20]),
        "status_url": reverse("benefits:report_status"),
        "can_issue": can_issue,
        "can_retry": can_issue,  # a failed or stuck report's retry: can_retry_benefits_report
        "form": form or ReportForm(initial={"year": timezone.localdate().year - 1}),
    }


@role_required(EVERYONE)
@require_http_methods(["GET", "POST"])
def report_list(request):
    """The yearly benefits reports (published: everyone reads them); supervisors issue."""
    form = None
    if request.method == "POST":
        deny(permissions.can_issue_benefits_report(request.user))
        form = ReportForm(request.POST)
        if _submitted(
            request,
            form,
            lambda data: services.report_issue(
                actor=request.user,
                year=data["year"],
            ),
        ):
            report = form.result
            messages.success(
                request, f"Version {report.version} of the {report.year} report is being made."
            )
            return redirect("benefits:reports")
    return render(request, "benefits/report_list.html", _report_context(request, form))


@role_required(EVERYONE)
def report_status(request):
    """The report panel alone, polled by htmx while a report renders."""
    return render(request, "ctpat/_reports.html", _report_context(request))


@role_required(EVERYONE)
def report_download(request, benefits_report_id):
    report = selectors.report_for(benefits_report_id)
    if report.status != ReportStatus.READY:
        raise Http404
    name = f"ctpat-benefits-report-{report.year}-v{report.version}.pdf"
    return uploads.file_response(report.stored_name, name, "application/pdf", owner=report)


@role_required(EVERYONE)
def report_csv(request, benefits_report_id):
    report = selectors.report_for(benefits_report_id)
    response = HttpResponse(
        documents.render_report_csv(report.snapshot), content_type="text/csv; charset=utf-8"
    )
    name = f"ctpat-benefits-report-{report.year}-v{report.version}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit.record_export(name, request=request, obj=report)
    return response


@role_required(DECIDERS)
@require_POST
def report_retry(request, benefits_report_id):
    report = get_object_or_404(selectors.reports(), pk=benefits_report_id)
    deny(permissions.can_retry_benefits_report(request.user, report))
    try:
        retried = services.report_retry(report=report, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, reports.retry_message(retried))
    return redirect("benefits:reports")
