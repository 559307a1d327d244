import csv

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.access import role_required
from accounts.choices import SUPERVISORS, Role
from accounts.navigation import navigation_for
from ctpat import outbox, uploads
from ctpat.csv_preview import spreadsheet_safe
from ctpat.errors import DomainError
from ctpat.health import health_report
from ctpat.models import ReportStatus
from ctpat.reports import retry, retry_message

from . import home as home_pages
from . import panels, summary
from .forms import DashboardFilterForm, specialists_in_scope
from .models import DashboardReport
from .tasks import render_pdf


def home(request):
    """Each role's own home page: a specialist's work, a supervisor's decisions, a partner
    user's companies (see dashboard.home for what each shows)."""
    user = request.user
    sections = [item for item in navigation_for(user) if item.url_name != "home"]
    if user.role == Role.PARTNER:
        template, context = "home/partner.html", home_pages.partner_home(user)
    elif user.role == Role.SPECIALIST:
        template, context = "home/specialist.html", home_pages.specialist_home(user)
    else:
        template, context = "home/office.html", home_pages.office_home(user)
    return render(request, template, {"sections": sections, **context})


def _dashboard(request):
    """The filters, the viewer's scope and the panels they select."""
    user = request.user
    specialists = specialists_in_scope(user)
    form = DashboardFilterForm(request.GET or None, user=user, specialists=specialists)
    data = form.cleaned_data if form.is_valid() else {}
    filters = summary.Filters(
        program=data.get("program") or "",
        entity_type=data.get("entity_type") or "",
        field_office_id=data.get("field_office") if user.role == Role.ADMINISTRATOR else None,
        specialist_id=data.get("specialist"),
    )
    scope = (
        summary.Q()
        if user.role == Role.ADMINISTRATOR
        else summary.Q(field_office_id=user.field_office_id)
    )
    figures = summary.read(filters, scope)
    return form, figures, panels.build(figures, filters, dict(specialists))


@role_required(SUPERVISORS)
def dashboard_index(request):
    form, figures, built = _dashboard(request)
    export = request.GET.get("export")
    if export:
        panel = next((p for p in built if p.key == export), None)
        if panel is None:
            raise Http404("No such panel.")
        return _csv(request, panel, figures)
    age = (timezone.now() - figures.computed_at).total_seconds()
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "dashboard/index.html",
        {
            "form": form,
            "panels": built,
            "computed_at": figures.computed_at,
            "age_minutes": int(age // 60),
            "query": query.urlencode(),
            "scope": "all field offices"
            if request.user.role == Role.ADMINISTRATOR
            else str(request.user.field_office),
        },
    )


@role_required([Role.ADMINISTRATOR])
def status(request):
    """What /healthz reports, for administrators: the database, the broker, the last worker
    heartbeat and beat run, the oldest undispatched background work."""
    report, healthy = health_report()
    return render(
        request,
        "dashboard/status.html",
        {
            "report": report,
            "healthy": healthy,
            "stale_seconds": settings.HEALTH_STALE_SECONDS,
            "heartbeat_seconds": settings.HEARTBEAT_SECONDS,
        },
        status=200 if healthy else 503,
    )


def _csv(request, panel, figures) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(figures.computed_at)
    name = f"dashboard-{panel.key}-{stamp:%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit.record_export(name, request=request, panel=panel.title)
    writer = csv.writer(response)
    writer.writerow(["Panel", "Figure", "Value", "Note", "As of"])
    for row in panel.rows:
        cells = [panel.title, row.label, row.value, row.note, f"{stamp:%Y-%m-%d %H:%M}"]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return response


@role_required(SUPERVISORS)
@require_POST
def pdf_request(request):
    """The whole dashboard, as filtered, rendered to PDF by a Celery worker.

    One at a time per person: while one is being made, asking again (a double click)
    leads to that one instead of queueing another."""
    waiting = DashboardReport.objects.filter(
        requested_by=request.user, status__in=[ReportStatus.QUEUED, ReportStatus.RENDERING]
    ).first()
    if waiting is not None:
        messages.info(request, "Your PDF is still being made; here it is.")
        return redirect("dashboard:pdf", waiting.pk)
    form, figures, built = _dashboard(request)
    chosen = [
        f"{form.fields[name].label or name.replace('_', ' ').title()}: {label}"
        for name in ("program", "entity_type", "field_office", "specialist")
        for value, label in form.fields[name].choices
        if value and str(value) == str(request.GET.get(name, ""))
    ]
    snapshot = {
        "computed_at": timezone.localtime(figures.computed_at).isoformat(),
        "scope": "All field offices"
        if request.user.role == Role.ADMINISTRATOR
        else str(request.user.field_office),
        "filters": chosen,
        "panels": [p.as_dict() for p in built],
        "charts": {p.key: p.chart for p in built if p.chart},
    }
    with transaction.atomic():
        report = DashboardReport.objects.create(snapshot=snapshot, requested_by=request.user)
        outbox.enqueue("dashboard.render_pdf", report_id=report.pk)
    return redirect("dashboard:pdf", report.pk)


def _report_for(user, report_id):
    reports = DashboardReport.objects.all()
    if user.role != Role.ADMINISTRATOR:
        reports = reports.filter(requested_by=user)
    return get_object_or_404(reports, pk=report_id)


@role_required(SUPERVISORS)
def pdf_status(request, report_id):
    report = _report_for(request.user, report_id)
    if request.method == "POST" and report.status != ReportStatus.READY:
        # A failed or stuck render is queued again; one being made is left alone.
        try:
            retried = retry(DashboardReport, report, render_pdf)
        except DomainError as error:  # it became ready meanwhile
            messages.info(request, error.message)
        else:
            messages.success(request, retry_message(retried))
        return redirect("dashboard:pdf", report.pk)
    # Whoever may see this report (its requester, or an administrator) may retry it.
    context = {"reports": [report], "status_url": request.path, "can_retry": True}
    return render(request, "dashboard/pdf.html", context)


@role_required(SUPERVISORS)
def pdf_download(request, report_id):
    report = _report_for(request.user, report_id)
    if report.status != ReportStatus.READY:
        raise Http404
    stamp = timezone.localtime(report.created_at)
    return uploads.file_response(
        report.stored_name,
        f"compliance-dashboard-{stamp:%Y%m%d-%H%M}.pdf",
        "application/pdf",
        owner=report,
    )
