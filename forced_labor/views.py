"""Forced-labor pages: the partner's requirements, uploads, and CBP's review queue."""

from django.contrib import messages
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.choices import CBP_STAFF, Role
from accounts.once import claim_once
from ctpat import uploads
from ctpat.errors import DomainError, add_to_form
from ctpat.pages import form_page
from ctpat.pagination import DeferredJoinPaginator
from ctpat.permissions import deny
from partners import selectors as partner_selectors

from . import permissions, selectors, services
from .filters import ReviewQueueFilter
from .forms import ReviewForm, RiskCheckForm, SubmissionForm
from .models import RiskAssessmentCoverage, SubmissionFile


def forced_labor_index(request):
    """Partner users go to their company's page; CBP staff to the review queue."""
    if request.user.role == Role.PARTNER:
        memberships = list(partner_selectors.memberships_of(request.user))
        if len(memberships) == 1:
            return redirect("forced_labor:partner", memberships[0].partner_id)
        return render(request, "forced_labor/choose_partner.html", {"memberships": memberships})
    return review_queue(request)


@role_required(CBP_STAFF)
def review_queue(request):
    filterset = ReviewQueueFilter(
        request.GET, queryset=selectors.review_queue(request.user), request=request
    )
    page = DeferredJoinPaginator(filterset.qs, 50, fetch=selectors.queue_rows).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    chosen = filterset.form.cleaned_data
    return render(
        request,
        "forced_labor/review_queue.html",
        {
            "filter": filterset,
            "page": page,
            "offices": filterset.filters["office"].queryset,
            "office": chosen.get("office"),
            "partner": chosen.get("partner"),
            "now": timezone.now(),
            "query": query.urlencode(),
        },
    )


def partner_documentation(request, partner_id):
    partner = partner_selectors.partner_for(request.user, partner_id)
    prefetch_related_objects([partner], "enrollments")  # the state and the predicates read them
    state = selectors.documentation(partner)
    user = request.user
    for row in state.rows:
        row.can_upload = permissions.can_upload_submission(
            user, partner, row.requirement, row.version
        )
        for submission in row.history:
            submission.partner = partner
            submission.can_review = permissions.can_review_submission(user, submission)
    return render(
        request,
        "forced_labor/partner_documentation.html",
        {
            "partner": partner,
            "doc": state,
            "can_record_risk_check": permissions.can_record_risk_check(user, partner),
            "risk_check": RiskAssessmentCoverage.objects.filter(partner=partner)
            .select_related("checked_by")
            .first(),
        },
    )


@require_http_methods(["GET", "POST"])
def submit(request, partner_id, requirement_id):
    partner = partner_selectors.partner_for(request.user, partner_id)
    requirement = selectors.requirement(requirement_id)
    deny(permissions.can_upload_submission(request.user, partner, requirement))
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        request=request,
        asks_public_url=requirement.asks_public_url,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                claim_once(form, request.user)
                submission = services.submission_create(
                    actor=request.user,
                    partner=partner,
                    requirement=requirement,
                    title=data["title"],
                    effective_on=data["effective_on"],
                    files=data["files"],
                    notes=data["notes"],
                    public_url=data.get("public_url", ""),
                )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                f"Version {submission.version} of “{requirement.name}” is submitted for review.",
            )
            return redirect("forced_labor:partner", partner.pk)
    return form_page(
        request,
        title=f"{requirement}: {partner.legal_name}",
        intro=next(
            v.guidance
            for v in selectors.requirements_in_force()
            if v.requirement_id == requirement.pk
        ),
        form=form,
        submit="Submit for review",
        cancel=reverse("forced_labor:partner", args=[partner.pk]),
        multipart=True,
    )


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def review(request, submission_id):
    submission = selectors.submission_for(request.user, submission_id)
    if request.method == "GET":  # a decision sent meanwhile is answered on the form
        deny(permissions.can_review_submission(request.user, submission))
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_review(
                actor=request.user,
                submission=submission,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "The review is recorded and the partner is told.")
            return redirect("forced_labor:queue")
    files = list(submission.files.all())
    return render(
        request,
        "forced_labor/review.html",
        {"submission": submission, "files": files, "form": form},
    )


def file_download(request, file_id):
    stored = get_object_or_404(SubmissionFile.objects.visible_to(request.user), pk=file_id)
    return uploads.file_response(
        stored.stored_name, stored.original_name, stored.content_type, owner=stored
    )


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def risk_check(request, partner_id):
    partner = partner_selectors.partner_for(request.user, partner_id)
    deny(permissions.can_record_risk_check(request.user, partner))
    form = RiskCheckForm(request.POST or None, initial={"checked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_assessment_check(actor=request.user, partner=partner, **form.cleaned_data)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Recorded: the risk assessment covers forced labor.")
            return redirect("forced_labor:partner", partner.pk)
    return form_page(
        request,
        title=f"Risk assessment covers forced labor: {partner.legal_name}",
        intro="Tick this when you have checked that the partner's risk assessment covers "
        "forced labor (CTPAT alert of March 22, 2023).",
        form=form,
        submit="Record the check",
        cancel=reverse("forced_labor:partner", args=[partner.pk]),
    )
