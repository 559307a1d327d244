"""Security Profile pages: the partner's profile worked through by focus area and category,
the officer's signature, CBP's review per criterion, the history and the diff."""

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required
from accounts.choices import CBP_STAFF
from ctpat import uploads
from ctpat.errors import DomainError, add_to_form
from ctpat.pages import form_page
from ctpat.permissions import deny
from partners import permissions as partner_permissions
from partners import selectors as partner_selectors

from . import permissions, selectors, services
from .choices import ProfileKind, ProfileStatus
from .forms import AnswerForm, AnswerReviewForm, DecideForm, SubmitForm
from .models import ProfileDocument


def annual_review_url(partner_id: int) -> str:
    """Registered as the "annual_review_page": partners' annual review link comes here."""
    return reverse("profiles:partner", args=[partner_id])


def _security(partner):
    return next(
        (e for e in partner.enrollments.all() if e.program == "security" and e.is_current), None
    )


def partner_profile(request, partner_id):
    """The partner's profile: its versions (the history), what to do next, and flags."""
    partner = partner_selectors.partner_for(request.user, partner_id)
    prefetch_related_objects([partner], "enrollments")
    versions = selectors.versions_of(partner)
    user = request.user
    can_start = permissions.can_start_profile(user, partner, versions)
    can_annual = permissions.can_start_profile(user, partner, versions, annual=True)
    if can_annual:
        can_annual = partner_permissions.can_submit_profile_review(user, _security(partner))
    return render(
        request,
        "profiles/partner.html",
        {
            "partner": partner,
            "versions": versions,
            "open": next((v for v in versions if v.status in (ProfileStatus.DRAFT,)), None),
            "accepted": next((v for v in versions if v.status == ProfileStatus.ACCEPTED), None),
            "can_start": can_start,
            "start_kind": permissions.next_kind(versions),
            "can_annual": can_annual,
            "flagged": [v for v in versions if v.blank_fix_due_on and not v.blank_fixed_at],
        },
    )


@require_POST
def start(request, partner_id):
    partner = partner_selectors.partner_for(request.user, partner_id)
    prefetch_related_objects([partner], "enrollments")
    try:
        profile = services.profile_start(
            actor=request.user, partner=partner, annual=request.POST.get("annual") == "1"
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("profiles:partner", partner.pk)
    messages.success(request, _("Version %(n)s is started.") % {"n": profile.version})
    return redirect("profiles:version", profile.pk)


def version(request, profile_id):
    """One version by focus area and category: each answer, its level and guidance, the
    progress per category, and (in a draft) the links to answer."""
    profile = selectors.profile_for(request.user, profile_id)
    answers = selectors.answers_of(profile)
    user = request.user
    editable = profile.status == ProfileStatus.DRAFT and bool(
        permissions.is_member(user, profile.partner)
    )
    for answer in answers:
        answer.can_edit = editable and permissions.can_edit_answer(user, answer)
    answered = sum(1 for a in answers if not a.is_blank)
    return render(
        request,
        "profiles/version.html",
        {
            "profile": profile,
            "partner": profile.partner,
            "areas": selectors.grouped(answers),
            "answered": answered,
            "total": len(answers),
            "later": sum(1 for a in answers if a.answer_later),
            "unconfirmed": sum(1 for a in answers if not a.confirmed)
            if profile.kind == ProfileKind.ANNUAL_REVIEW
            else 0,
            "can_submit": permissions.can_submit_profile(user, profile),
            "can_review": permissions.can_review_profile(user, profile),
        },
    )


@require_http_methods(["GET", "POST"])
def answer_edit(request, answer_id):
    answer = selectors.answer_for(request.user, answer_id)
    profile = answer.profile
    deny(permissions.can_edit_answer(request.user, answer))
    documents = ProfileDocument.objects.filter(partner=profile.partner).listed_for(request.user)
    initial = {name: getattr(answer, name) for name in (*services.ANSWER_FIELDS, "answer_later")}
    initial["on_file"] = list(answer.evidence.all())
    form = AnswerForm(
        request.POST or None,
        request.FILES or None,
        request=request,
        initial=initial,
        documents=documents,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_save(
                actor=request.user,
                answer=answer,
                data=data,
                files=data["files"],
                on_file=list(data["on_file"]),
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _("Your answer on %(code)s is saved.")
                % {"code": answer.criterion_version.criterion.code},
            )
            if "next" in request.POST:
                following = (
                    profile.answers.filter(implemented="")
                    .exclude(pk=answer.pk)
                    .order_by(
                        "criterion_version__criterion__category__number",
                        "criterion_version__criterion__number",
                    )
                    .first()
                )
                if following is not None:
                    return redirect("profiles:answer", following.pk)
            category = answer.criterion_version.criterion.category.number
            return redirect(
                reverse("profiles:version", args=[profile.pk]) + f"#category-{category}"
            )
    criterion_version = answer.criterion_version
    return form_page(
        request,
        title=_("%(code)s · Security Profile version %(n)s: %(partner)s")
        % {
            "code": criterion_version.criterion.code,
            "n": profile.version,
            "partner": profile.partner.legal_name,
        },
        form=form,
        submit=_("Save"),
        cancel=reverse("profiles:version", args=[profile.pk]),
        multipart=True,
        template="profiles/answer_form.html",
        extra={"answer": answer, "criterion_version": criterion_version, "profile": profile},
    )


@require_http_methods(["GET", "POST"])
def submit(request, profile_id):
    profile = selectors.profile_for(request.user, profile_id)
    if request.method == "GET":
        deny(permissions.can_submit_profile(request.user, profile))
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            profile = services.profile_submit(actor=request.user, profile=profile, **data)
        except DomainError as error:
            add_to_form(form, error)
        else:
            if profile.blank_fix_due_on:
                messages.warning(
                    request,
                    _(
                        "Version %(n)s is submitted, but %(percent)s%% of it is blank: complete "
                        "it by %(due)s."
                    )
                    % {
                        "n": profile.version,
                        "percent": profile.blank_percent,
                        "due": profile.blank_fix_due_on.strftime("%B %-d, %Y"),
                    },
                )
            else:
                messages.success(
                    request,
                    _("Version %(n)s is signed and submitted to CBP.") % {"n": profile.version},
                )
            return redirect("profiles:partner", profile.partner_id)
    answers = list(profile.answers.all())
    return form_page(
        request,
        title=_("Sign and submit Security Profile version %(n)s: %(partner)s")
        % {"n": profile.version, "partner": profile.partner.legal_name},
        intro=_(
            "%(answered)s of %(total)s criteria are answered. A profile submitted more than "
            "half blank must be completed within the days the program allows."
        )
        % {"answered": sum(1 for a in answers if not a.is_blank), "total": len(answers)},
        form=form,
        submit=_("Sign and submit"),
        cancel=reverse("profiles:version", args=[profile.pk]),
    )


@role_required(CBP_STAFF)
def review(request, profile_id):
    """CBP's review: each answer accepted, or needs more information with a comment."""
    profile = selectors.profile_for(request.user, profile_id)
    answers = selectors.answers_of(profile)
    can_review = permissions.can_review_profile(request.user, profile)
    undecided = selectors.undecided_count(answers)
    return render(
        request,
        "profiles/review.html",
        {
            "profile": profile,
            "partner": profile.partner,
            "areas": selectors.grouped(answers),
            "can_review": can_review,
            "can_decide": permissions.can_decide_profile(request.user, profile, undecided),
            "undecided": undecided,
            "review_form": AnswerReviewForm(),
            "decide_form": DecideForm(),
        },
    )


@role_required(CBP_STAFF)
@require_POST
def answer_review(request, answer_id):
    answer = selectors.answer_for(request.user, answer_id)
    form = AnswerReviewForm(request.POST)
    anchor = reverse("profiles:review", args=[answer.profile_id]) + f"#answer-{answer.pk}"
    if not form.is_valid():
        messages.error(request, _("Choose accepted or needs more information."))
        return redirect(anchor)
    try:
        services.answer_review(
            actor=request.user,
            answer=answer,
            accept=form.cleaned_data["decision"] == "accept",
            comment=form.cleaned_data["comment"],
        )
    except DomainError as error:
        messages.error(
            request,
            _("%(code)s: %(message)s")
            % {"code": answer.criterion_version.criterion.code, "message": error.message},
        )
    return redirect(anchor)


@role_required(CBP_STAFF)
@require_POST
def decide(request, profile_id):
    profile = selectors.profile_for(request.user, profile_id)
    form = DecideForm(request.POST)
    form.is_valid()
    try:
        profile = services.profile_decide(
            actor=request.user, profile=profile, comment=form.cleaned_data.get("comment", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("profiles:review", profile.pk)
    messages.success(
        request,
        _("Version %(n)s is %(status)s; the partner is told.")
        % {"n": profile.version, "status": profile.get_status_display().lower()},
    )
    return redirect("profiles:version", profile.pk)


def diff(request, profile_id):
    """What changed from the version this one was copied from (or `?against=<id>`): for the
    annual review, the diff against the last accepted version."""
    profile = selectors.profile_for(request.user, profile_id)
    against_id = request.GET.get("against") or profile.based_on_id
    older = None
    if against_id and str(against_id).isdigit():
        older = selectors.profile_for(request.user, int(against_id))
        if older.partner_id != profile.partner_id:
            older = None
    rows = (
        selectors.diff(selectors.answers_of(profile), selectors.answers_of(older))
        if older is not None
        else []
    )
    return render(
        request,
        "profiles/diff.html",
        {"profile": profile, "older": older, "rows": rows, "partner": profile.partner},
    )


@role_required(CBP_STAFF)
def queue(request):
    return render(
        request,
        "profiles/queue.html",
        {"profiles": list(selectors.review_queue(request.user)[:200])},
    )


def document(request, profile_document_id):
    return uploads.document_response(selectors.document_for(request.user, profile_document_id))
