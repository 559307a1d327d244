"""Validation pages. Each view: check access, bind the form, call one service, render."""

from datetime import date
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required
from accounts.choices import CBP_STAFF, Role
from accounts.once import claim_once
from ctpat import reports, uploads
from ctpat.errors import DomainError, add_to_form
from ctpat.pages import csv_import_page, form_page
from ctpat.pagination import DeferredJoinPaginator
from ctpat.permissions import deny
from partners import selectors as partner_selectors
from partners.choices import EntityType, Program

from . import criteria_import as criteria_import_module
from . import permissions, selectors, services
from .choices import (
    VALIDATION_STATE,
    ActionStatus,
    Level,
    Move,
    Relation,
    ReportStatus,
    Result,
    Status,
)
from .filters import RequiredActionFilter, ValidationFilter
from .forms import (
    CriteriaImportForm,
    DecisionForm,
    DocumentRequestForm,
    FindingFormSet,
    MoveForm,
    PlanForm,
    ResponseForm,
    UploadForm,
    WithdrawForm,
)
from .models import ActionDocument, DocumentUpload, RequiredAction

MOVE_SERVICES = {
    Move.REQUEST_DOCUMENTS: services.validation_request_documents,
    Move.START: services.validation_start,
    Move.DRAFT: services.validation_draft,
    Move.SUBMIT: services.validation_submit,
    Move.RETURN: services.validation_return,
    Move.APPROVE: services.validation_approve,
    Move.CLOSE: services.validation_close,
    Move.CANCEL: services.validation_cancel,
}


def with_validation(view):
    """Validation pages: 404 outside the user's scope (same as a missing validation)."""

    @wraps(view)
    def wrapped(request, validation_id, *args, **kwargs):
        validation = selectors.validation_for(request.user, validation_id)
        return view(request, validation, *args, **kwargs)

    return wrapped


def _back(validation):
    return redirect("validations:detail", validation.pk)


def validation_list(request):
    filterset = ValidationFilter(
        request.GET, queryset=selectors.validation_list(request.user), request=request
    )
    page = DeferredJoinPaginator(
        filterset.qs.order_by("-planned_start", "-pk"), 50, fetch=selectors.validation_rows
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "validations/validation_list.html",
        {
            "filter": filterset,
            "page": page,
            "statuses": Status.choices,
            "status": filterset.form.cleaned_data.get("status") or "",
            "query": query.urlencode(),
        },
    )


@role_required(frozenset(Role))
def required_actions(request):
    """Required actions by state (open, overdue, awaiting a decision, closed)."""
    filterset = RequiredActionFilter(
        request.GET, queryset=selectors.required_actions(request.user), request=request
    )
    state = filterset.state_shown
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "validations/action_list.html",
        {
            "filter": filterset,
            "page": page,
            "state": state,
            "states": selectors.ACTION_STATES,
            "query": f"state={state}",
        },
    )


@require_http_methods(["GET", "POST"])
def validation_plan(request, partner_id):
    partner = partner_selectors.partner_for(request.user, partner_id)  # 404 outside scope
    deny(permissions.can_plan_validation(request.user, partner))
    enrollment = get_object_or_404(partner.enrollments.all(), program=Program.SECURITY)
    form = PlanForm(request.POST or None, partner=partner, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                claim_once(form, request.user)
                validation = services.validation_plan(
                    actor=request.user,
                    enrollment=enrollment,
                    kind=data["kind"],
                    mode=data["mode"],
                    lead=data["lead"],
                    team=list(data["team"]),
                    sites=list(data["sites"]),
                    planned_start=data["planned_start"],
                    planned_end=data["planned_end"],
                    approving_supervisor=data["approving_supervisor"],
                )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"The validation is planned with {validation.lead} as lead.")
            return _back(validation)
    return form_page(
        request,
        title=f"Plan a validation of {partner.legal_name}",
        intro="The partner is judged against the criteria in force on the start date for its "
        "entity type; the standard document requests for the kind are prepared for the lead "
        "to review and send.",
        form=form,
        submit="Plan validation",
        cancel=reverse("partners:detail", args=[partner.pk]),
    )


def _reports_panel(request, validation) -> dict:
    """What templates/ctpat/_reports.html needs, on the page and when it polls."""
    return {
        "status_url": reverse("validations:report_status", args=[validation.pk]),
        # A failed or stuck render is retried by those who issue reports (can_retry_report).
        "can_retry": bool(permissions.can_issue_report(request.user, validation)),
        "no_reports": "No report is issued yet. It is made when the supervisor approves the "
        "validation.",
    }


def _with_permissions(user, context: dict) -> dict:
    """The page's `can_*` flags, each read from the predicate its service enforces."""
    validation = context["validation"]
    for document_request in context["requests"]:
        document_request.validation = validation
        document_request.can_upload = permissions.can_upload_request_document(
            user, document_request
        )
        document_request.can_use_on_file = bool(context["on_file"]) and bool(
            permissions.can_use_document_on_file(user, document_request)
        )
    for action in context["actions"]:
        action.finding.validation = validation
        action.can_respond = permissions.can_respond_to_action(user, action)
        action.can_decide = permissions.can_decide_action(user, action)
    context.update(
        is_staff=user.is_cbp_staff,  # what is shown (internal notes, render errors), not done
        moves=permissions.allowed_moves(user, validation),
        can_record=permissions.can_record_findings(user, validation),
        can_request=permissions.can_add_document_request(user, validation),
        can_issue_report=permissions.can_issue_report(user, validation),
        # Why "Approve" is not offered yet, for the approving supervisor to read.
        approval_waits=_approval_waits(user, validation),
    )
    for document_request in context["requests"]:
        document_request.can_withdraw = permissions.can_withdraw_document_request(
            user, document_request
        )
    return context


def _approval_waits(user, validation) -> str:
    if validation.status != Status.SUPERVISOR_REVIEW:
        return ""
    if not permissions.relations(user, validation) & {Relation.APPROVER, Relation.LEAD}:
        return ""
    return permissions.ready_for_approval(validation).reason


@with_validation
def validation_detail(request, validation):
    context = _with_permissions(
        request.user, selectors.validation_page(request.user, validation.pk)
    )
    context.update(_reports_panel(request, validation))
    context.update(today=timezone.localdate(), Result=Result, ActionStatus=ActionStatus)
    return render(request, "validations/validation_detail.html", context)


@with_validation
@require_http_methods(["GET", "POST"])
def validation_move(request, validation, move):
    try:
        move = Move(move)
    except ValueError:
        raise Http404("No such move.") from None
    deny(permissions.can_make_move(request.user, validation, move))
    service = MOVE_SERVICES[move]
    tier_3 = move == Move.APPROVE and permissions.can_award_tier_3(validation)
    form = MoveForm(request.POST or None, move=move, tier_3=bool(tier_3))
    approving = move == Move.APPROVE
    if request.method == "POST" and form.is_valid():
        kwargs = {"validation": validation, "actor": request.user}
        if move != Move.REQUEST_DOCUMENTS:
            kwargs["comment"] = form.cleaned_data["comment"]
        if move == Move.APPROVE:
            kwargs["tier"] = form.tier()
        try:
            service(**kwargs)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Done: {move.label.lower()}.")
            return _back(validation)
    return form_page(
        request,
        title=f"{move.label}: {validation.enrollment.partner.legal_name}",
        intro=_("The validation is %(state)s. This goes on the validation's record with your name.")
        % {"state": VALIDATION_STATE[Status(validation.status)]},
        form=form,
        submit=move.label,
        cancel=reverse("validations:detail", args=[validation.pk]),
        # Approving shows the findings by result and level, and why Tier 3 is not offered.
        template="validations/approve_form.html" if approving else "ctpat/form_page.html",
        extra={"counts": selectors.result_counts(validation), "tier_3": tier_3}
        if approving
        else None,
    )


@with_validation
@require_http_methods(["GET", "POST"])
def request_add(request, validation):
    deny(permissions.can_add_document_request(request.user, validation))
    form = DocumentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                claim_once(form, request.user)
                services.document_request_add(
                    validation=validation,
                    actor=request.user,
                    name=data["name"],
                    description=data["description"],
                    due_on=data["due_on"],
                )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"“{data['name']}” is added to the requests.")
            return _back(validation)
    return form_page(
        request,
        title="Ask for another document",
        intro="Before asking, check the documents the partner already has on file, listed on "
        "the validation page: a request can be answered by one of them.",
        form=form,
        submit="Add request",
        cancel=reverse("validations:detail", args=[validation.pk]),
    )


@with_validation
@require_POST
def request_on_file(request, validation, request_id):
    document_request = get_object_or_404(validation.document_requests.all(), pk=request_id)
    deny(permissions.can_use_document_on_file(request.user, document_request))
    upload = get_object_or_404(
        DocumentUpload.objects.visible_to(request.user).downloadable(),
        pk=request.POST.get("upload"),
    )
    try:
        services.document_request_satisfy_on_file(
            request=document_request, actor=request.user, upload=upload
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{document_request.name}” is answered by {upload}.")
    return _back(validation)


@with_validation
@require_http_methods(["GET", "POST"])
def request_withdraw(request, validation, request_id):
    document_request = get_object_or_404(validation.document_requests.all(), pk=request_id)
    document_request.validation = validation
    deny(permissions.can_withdraw_document_request(request.user, document_request))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_request_withdraw(
                request=document_request, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request, _("“%(name)s” is withdrawn.") % {"name": document_request.name}
            )
            return _back(validation)
    return form_page(
        request,
        title=_("Withdraw the request: %(name)s") % {"name": document_request.name},
        intro=_("The partner no longer needs to send it, and reads your reason."),
        form=form,
        submit=_("Withdraw the request"),
        cancel=reverse("validations:detail", args=[validation.pk]),
    )


@with_validation
@require_http_methods(["GET", "POST"])
def request_upload(request, validation, request_id):
    document_request = selectors.request_for(request.user, request_id)
    if document_request.validation_id != validation.pk:
        raise Http404
    deny(permissions.can_upload_request_document(request.user, document_request))
    form = UploadForm(request.POST or None, request.FILES or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claim_once(form, request.user)
                upload = services.document_upload(
                    request=document_request, actor=request.user, file=form.cleaned_data["file"]
                )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"{upload.original_name} is uploaded. Thank you.")
            return _back(validation)
    return form_page(
        request,
        title=f"Upload: {document_request.name}",
        intro=document_request.description,
        form=form,
        submit="Upload",
        cancel=reverse("validations:detail", args=[validation.pk]),
        multipart=True,
    )


@with_validation
@require_http_methods(["GET", "POST"])
def findings_record(request, validation):
    deny(permissions.can_record_findings(request.user, validation))
    findings = list(selectors.findings_of(validation))
    initial = [{"finding": f.pk, "result": f.result, "narrative": f.narrative} for f in findings]
    formset = FindingFormSet(
        request.POST or None,
        initial=initial,
        prefix="findings",
        levels=[f.criterion_version.level for f in findings],
    )
    if request.method == "POST" and formset.is_valid():
        results = {
            form.cleaned_data["finding"]: (
                form.cleaned_data["result"],
                form.cleaned_data["narrative"],
            )
            for form in formset
        }
        try:
            changed = services.findings_record(
                validation=validation, actor=request.user, results=results
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{changed} findings saved.")
            return _back(validation)
    for finding, form in zip(findings, formset.forms, strict=True):
        finding.form = form
    return render(
        request,
        "validations/findings_form.html",
        {
            "validation": validation,
            "formset": formset,
            "finding_groups": selectors.findings_grouped(findings),
        },
    )


def _action_for(request, validation, action_id) -> RequiredAction:
    return get_object_or_404(
        RequiredAction.objects.visible_to(request.user).select_related(
            "finding__criterion_version__criterion"
        ),
        pk=action_id,
        finding__validation=validation,
    )


@with_validation
@require_http_methods(["GET", "POST"])
def action_respond(request, validation, action_id):
    action = _action_for(request, validation, action_id)
    deny(permissions.can_respond_to_action(request.user, action))
    form = ResponseForm(request.POST or None, request.FILES or None, request=request)
    if request.method == "POST" and form.is_valid():
        files = [form.cleaned_data["file"]] if form.cleaned_data.get("file") else []
        try:
            with transaction.atomic():
                claim_once(form, request.user)
                services.required_action_respond(
                    action=action,
                    actor=request.user,
                    response=form.cleaned_data["response"],
                    files=files,
                )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Your response is sent to CBP.")
            return _back(validation)
    return form_page(
        request,
        title=f"Answer the required action on {action.finding.criterion_version.criterion}",
        intro=action.finding.narrative,
        form=form,
        submit="Send response",
        cancel=reverse("validations:detail", args=[validation.pk]),
        multipart=True,
    )


@with_validation
@require_http_methods(["GET", "POST"])
def action_decide(request, validation, action_id):
    action = _action_for(request, validation, action_id)
    deny(permissions.can_decide_action(request.user, action))
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.required_action_decide(
                action=action,
                actor=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "The decision is recorded.")
            return _back(validation)
    return form_page(
        request,
        title=f"Decide on the response to {action.finding.criterion_version.criterion}",
        intro=f"The partner's response: {action.response}",
        form=form,
        submit="Record decision",
        cancel=reverse("validations:detail", args=[validation.pk]),
    )


@with_validation
def report_status(request, validation):
    """The report panel alone, polled by htmx while a report renders."""
    context = selectors.validation_page(request.user, validation.pk)
    context.update(_reports_panel(request, validation))
    return render(request, "ctpat/_reports.html", context)


@with_validation
def report_download(request, validation, report_id):
    report = selectors.report_for(request.user, report_id)
    if report.validation_id != validation.pk or report.status != ReportStatus.READY:
        raise Http404
    partner = validation.enrollment.partner
    name = f"validation-report-{partner.account_number}-v{report.version}.pdf"
    return uploads.file_response(report.stored_name, name, "application/pdf", owner=report)


@with_validation
@require_POST
def report_retry(request, validation, report_id):
    report = get_object_or_404(validation.reports.all(), pk=report_id)
    deny(permissions.can_retry_report(request.user, report))
    try:
        retried = services.report_retry(report=report, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, reports.retry_message(retried))
    return _back(validation)


@with_validation
@require_POST
def report_reissue(request, validation):
    deny(permissions.can_issue_report(request.user, validation))
    try:
        report = services.report_issue(validation=validation, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Version {report.version} of the report is being made.")
    return _back(validation)


def upload_download(request, upload_id):
    upload = get_object_or_404(
        DocumentUpload.objects.visible_to(request.user).downloadable(), pk=upload_id
    )
    return uploads.document_response(upload)


def action_document_download(request, document_id):
    document = get_object_or_404(
        ActionDocument.objects.visible_to(request.user).downloadable(), pk=document_id
    )
    return uploads.document_response(document)


@role_required(CBP_STAFF)
def criteria_list(request):
    """The catalogue as in force today (or on ?on=YYYY-MM-DD), for one entity type."""
    entity_type = request.GET.get("entity_type") or EntityType.US_IMPORTER
    if entity_type not in EntityType.values:
        entity_type = EntityType.US_IMPORTER
    try:
        on = date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        on = timezone.localdate()
    versions = selectors.criteria_in_force(entity_type, on)
    return render(
        request,
        "validations/criteria_list.html",
        {
            "versions": versions,
            "groups": selectors.criteria_grouped(versions),
            "must_count": sum(v.level == Level.MUST for v in versions),
            "sources": selectors.sources_for(entity_type),
            "entity_type": entity_type,
            "entity_types": EntityType.choices,
            "on": on,
            "can_import_criteria": permissions.can_import_criteria(request.user),
        },
    )


@role_required({Role.ADMINISTRATOR})
@require_http_methods(["GET", "POST"])
def criteria_import(request):
    deny(permissions.can_import_criteria(request.user))
    return csv_import_page(
        request,
        template="validations/criteria_import.html",
        context={"header": criteria_import_module.HEADER},
        form_class=CriteriaImportForm,
        parse=criteria_import_module.parse_upload,
        run_import=lambda signed: criteria_import_module.import_criteria(
            actor=request.user, signed=signed
        ),
        retry_url="validations:criteria_import",
        done_url="validations:criteria",
        done=lambda count: f"Imported {count} criterion versions.",
    )
