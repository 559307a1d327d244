"""Partner pages. Each view: check access, bind the form, call one service, render or redirect."""

import csv
from contextlib import nullcontext
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts import audit
from accounts.access import role_required
from accounts.choices import CBP_STAFF, Role
from accounts.limits import limit_posts_per_ip
from accounts.models import FieldOffice
from accounts.once import claim_once, was_submitted
from ctpat import uploads
from ctpat.deadlines import extendable_keys
from ctpat.errors import DomainError, add_to_form
from ctpat.pages import csv_import_page, form_page
from ctpat.pagination import DeferredJoinPaginator
from ctpat.partner_links import links_for
from ctpat.permissions import deny
from ctpat.registry import registry
from ctpat.words import possessive

from . import permissions, selectors, services
from .choices import (
    APPEALABLE,
    ENROLLMENT_STATE,
    EntityType,
    MembershipRole,
    Move,
    Program,
    Status,
)
from .csv_import import EXPORT_HEADER, IMPORT_HEADER, export_row, import_partners, parse_upload
from .duplicates import likely_duplicates
from .filters import PartnerFilter
from .forms import (
    AcceptInvitationForm,
    AppealDecisionForm,
    AppealForm,
    CorrectiveActionEvidenceForm,
    CorrectiveActionFormSet,
    CorrectiveActionPlanForm,
    IdentifierForm,
    IdentifierFormSet,
    InvitationForm,
    MoveForm,
    NotificationLetterForm,
    PartnerCreateForm,
    PartnerEditForm,
    PartnerImportForm,
    PlanDecisionForm,
    ProfileReviewForm,
    ReapplyForm,
    RemoveForm,
    SecondFactorRequirementForm,
    SiteCreateForm,
    SiteEditForm,
    TradeComplianceApplyForm,
)
from .identifiers import normalize_identifier
from .models import (
    Appeal,
    CorrectiveAction,
    CorrectiveActionEvidence,
    CorrectiveActionPlan,
    Invitation,
    Membership,
    PartnerIdentifier,
    Site,
)

PAGE_SIZE = 50


def _add_errors(form, error) -> None:
    """Put a DomainError or model ValidationError on the form, where the person will see it."""
    if isinstance(error, DomainError):
        add_to_form(form, error)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- The list, export and import ----------------------------------------------------


def _filtered(request):
    return PartnerFilter(
        request.GET or None, queryset=selectors.partner_list(request.user), user=request.user
    )


@role_required(CBP_STAFF)
def partner_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs
    if not filterset.form.data.get("sort"):
        queryset = queryset.order_by("legal_name", "pk")
    paginator = DeferredJoinPaginator(queryset, PAGE_SIZE, fetch=selectors.partner_rows)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/partner_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value):
        return value


@role_required(CBP_STAFF)
def partner_export(request):
    """The filtered list as CSV, streamed so a large portfolio does not fill memory."""
    filtered = _filtered(request)
    queryset = filtered.qs if filtered.form.data.get("sort") else filtered.qs.order_by("legal_name")
    queryset = selectors.partner_export(request.user, queryset)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(export_row(p)) for p in queryset.iterator(chunk_size=2000))
    response = StreamingHttpResponse(_chain(writer, rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="partners-{stamp}.csv"'
    audit.record_export(f"partners-{stamp}.csv", request=request)
    return response


def _chain(writer, rows):
    yield writer.writerow(EXPORT_HEADER)
    yield from rows


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def partner_import(request):
    """Upload, preview every row with its errors, then import all rows or none."""
    return csv_import_page(
        request,
        template="partners/partner_import.html",
        context={
            "header": IMPORT_HEADER,
            "offices": FieldOffice.objects.all(),
            "entity_types": EntityType.choices,
        },
        form_class=PartnerImportForm,
        parse=lambda file: parse_upload(file, user=request.user),
        run_import=lambda signed: import_partners(actor=request.user, signed=signed),
        retry_url="partners:import",
        done_url="partners:list",
        done=lambda created: f"Imported {len(created)} partners.",
    )


# --- Creating and editing -----------------------------------------------------------


@role_required(CBP_STAFF)
@require_http_methods(["GET", "POST"])
def partner_create(request):
    data = request.POST if request.method == "POST" else None
    form = PartnerCreateForm(data, user=request.user)
    formset = IdentifierFormSet(data, user=request.user, prefix="identifiers")
    duplicates = None
    if data is not None and form.is_valid() and not was_submitted(form):
        duplicates = likely_duplicates(
            user=request.user,
            legal_name=form.cleaned_data["legal_name"],
            country=form.cleaned_data["country"],
            entity_type=form.cleaned_data["entity_type"],
            identifiers=_identifiers_typed(formset),
        )
        reason = form.cleaned_data.get(form.DUPLICATE_REASON, "").strip()
        if duplicates and not reason:
            form.ask_duplicate_reason(again=form.DUPLICATE_REASON in data)
    warned = duplicates and form.DUPLICATE_REASON not in data
    if data is not None and not warned and form.is_valid() and formset.is_valid():
        identifiers = [
            (f.cleaned_data["kind"], f.cleaned_data["value"])
            for f in formset
            if f.cleaned_data.get("value")
        ]
        why = ""
        if duplicates:
            names = ", ".join(f"{p.legal_name} ({p.account_number})" for p in duplicates.partners)
            why = _("Created despite likely duplicates %(names)s: %(reason)s") % {
                "names": names or _("outside your field office"),
                "reason": form.cleaned_data[form.DUPLICATE_REASON].strip(),
            }
        try:
            with transaction.atomic(), audit.because(why) if why else nullcontext():
                claim_once(form, request.user)
                partner = services.partner_create(
                    actor=request.user,
                    data=form.cleaned_data,
                    identifiers=identifiers,
                    applied_on=form.cleaned_data["applied_on"],
                )
        except (DomainError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, f"{partner.legal_name} is created with account {partner.account_number}."
            )
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title="New partner",
        intro="The company's profile and identifiers. Its Security application is recorded "
        "with it. Identifier rows left empty are ignored.",
        form=form,
        formset=formset,
        submit=_("Create anyway") if duplicates else _("Create partner"),
        cancel=reverse("partners:list"),
        template="partners/partner_create.html",
        extra={"duplicates": duplicates},
    )


def _identifiers_typed(formset) -> list[tuple[str, str]]:
    """The identifiers of the new-partner form as (kind, normalized value), read from what was
    typed: a row refused because its identifier is known is exactly the one to look up."""
    typed = []
    for sub in formset:
        kind, value = sub.data.get(sub.add_prefix("kind")), sub.data.get(sub.add_prefix("value"))
        if kind and value:
            try:
                typed.append((kind, normalize_identifier(kind, value)))
            except ValidationError:
                continue
    return typed


def staff_only(view):
    """Views that change a partner's record: 404 outside the user's scope (the same answer
    as for a partner that does not exist), 403 for the partner's own users."""

    @wraps(view)
    def wrapped(request, partner_id, *args, **kwargs):
        partner = selectors.partner_for(request.user, partner_id)
        deny(permissions.can_change_partner(request.user, partner))
        return view(request, partner, *args, **kwargs)

    return wrapped


@staff_only
@require_http_methods(["GET", "POST"])
def partner_edit(request, partner):
    form = PartnerEditForm(request.POST or None, instance=partner, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(
                actor=request.user,
                partner=partner,
                data=form.cleaned_data,
                reason=form.cleaned_data["reason"],
            )
        except (DomainError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The partner's record is saved.")
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=f"Edit {partner.legal_name}",
        form=form,
        submit="Save changes",
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def identifier_add(request, partner):
    form = IdentifierForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.identifier_add(actor=request.user, partner=partner, **form.cleaned_data)
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The identifier is added.")
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=f"Add an identifier to {partner.legal_name}",
        form=form,
        submit="Add identifier",
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def identifier_remove(request, partner, identifier_id):
    identifier = get_object_or_404(
        PartnerIdentifier.objects.visible_to(request.user), pk=identifier_id, partner=partner
    )
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.identifier_remove(
            actor=request.user, identifier=identifier, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"{identifier} is removed.")
        return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=f"Remove {identifier}",
        form=form,
        submit="Remove identifier",
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def site_add(request, partner):
    form = SiteCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claim_once(form, request.user)
                services.site_create(actor=request.user, partner=partner, data=form.cleaned_data)
        except (DomainError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The site is added.")
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=f"Add a site to {partner.legal_name}",
        form=form,
        submit="Add site",
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def site_edit(request, partner, site_id):
    site = get_object_or_404(Site.objects.visible_to(request.user), pk=site_id, partner=partner)
    form = SiteEditForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_update(
                actor=request.user,
                site=site,
                data=form.cleaned_data,
                reason=form.cleaned_data["reason"],
            )
        except (DomainError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The site is saved.")
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=f"Edit site {site.name}",
        form=form,
        submit="Save site",
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


# --- People -------------------------------------------------------------------------


@staff_only
@require_http_methods(["GET", "POST"])
def invitation_create(request, partner):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claim_once(form, request.user)
                invitation, _ = services.invitation_create(
                    actor=request.user,
                    partner=partner,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    base_url=request.build_absolute_uri("/"),
                )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"An invitation is on its way to {invitation.email}; the link works once, "
                f"until {timezone.localtime(invitation.expires_at):%B %-d, %Y %H:%M}.",
            )
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=f"Invite a user of {partner.legal_name}",
        intro="The person receives an email with a link to create their account (or, for a "
        "consultant who already has one, to add this company to it).",
        form=form,
        submit="Send invitation",
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def membership_remove(request, partner, membership_id):
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user"),
        pk=membership_id,
        partner=partner,
    )
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.membership_remove(
            actor=request.user, membership=membership, reason=form.cleaned_data["reason"]
        )
        name = str(partner).rstrip(".")  # "Acme Imports Inc." ends its own sentence
        messages.success(request, f"{membership.user} no longer has access to {name}.")
        return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=f"Remove {membership.user} from {partner.legal_name}",
        form=form,
        submit="Remove access",
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def invitation_revoke(request, partner, invitation_id):
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user), pk=invitation_id, partner=partner
    )
    if request.method == "POST":
        try:
            services.invitation_revoke(actor=request.user, invitation=invitation)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
        return redirect("partners:detail", partner.pk)
    return render(
        request,
        "partners/confirm.html",
        {
            "partner": partner,
            "title": f"Withdraw the invitation to {invitation.email}",
            "intro": "The link in the email stops working. You can invite the person again later.",
            "submit_label": "Withdraw invitation",
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@limit_posts_per_ip("invitation_accept", "RATELIMIT_INVITATION")
def invitation_accept(request, token):
    try:
        invitation = services.invitation_for_token(token)
    except DomainError as error:
        return render(
            request, "partners/invitation_invalid.html", {"message": error.message}, status=410
        )
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            membership = services.invitation_accept(
                token=token,
                user=request.user if signed_in else None,
                full_name="" if signed_in else form.cleaned_data["full_name"],
                password="" if signed_in else form.cleaned_data["password1"],
            )
        except DomainError as error:
            if form is None:
                messages.error(request, error.message)
                return redirect("home")
            _add_errors(form, error)
        else:
            if not signed_in:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to %(partner)s account.")
                % {"partner": possessive(membership.partner.legal_name)},
            )
            return redirect("partners:detail", membership.partner_id)
    return render(
        request, "partners/invitation_accept.html", {"invitation": invitation, "form": form}
    )


# --- The partner page ---------------------------------------------------------------


def partner_detail(request, partner_id):
    page = selectors.partner_page(request.user, partner_id)
    user = request.user
    officer = page.company_officer
    return render(
        request,
        "partners/partner_detail.html",
        {
            "page": page,
            "partner": page.partner,
            "can_edit": permissions.can_change_partner(user, page.partner),
            "is_officer": officer is not None and officer.pk == user.pk,
            "extra_links": links_for(user, page.partner),
            "can_apply_trade_compliance": permissions.can_apply_trade_compliance(
                user, page.partner
            ),
            "can_require_second_factor": permissions.can_require_second_factor(user, page.partner),
            "can_submit_profile_review": permissions.can_submit_profile_review(user, page.security),
            "can_submit_notification_letter": permissions.can_submit_notification_letter(
                user, page.trade_compliance
            ),
            "can_reapply": permissions.can_reapply(user, page.partner, Program.SECURITY),
            "can_submit_plan": {
                e.pk: permissions.can_submit_corrective_action_plan(user, e)
                for e in page.enrollments
                if e.suspended_on
            },
            "can_file_appeal": {
                e.pk: permissions.can_file_appeal(user, e)
                for e in page.enrollments
                if e.status in APPEALABLE
            },
            "can_decide_plan": {
                plan.pk: permissions.can_decide_corrective_action_plan(user, plan)
                for plan in page.plans.values()
            },
            "can_add_evidence": {
                plan.pk: permissions.can_add_corrective_action_evidence(user, plan)
                for plan in page.plans.values()
            },
            "can_decide_appeal": {
                appeal.pk: permissions.can_decide_appeal(user, appeal) for appeal in page.appeals
            },
            # Where "Ask for more time" is offered: the deadlines app's rule, through the
            # deadline registry (partners does not import that app).
            "extendable": extendable_keys(user, page.partner, page.deadlines),
        },
    )


def partner_timeline(request, partner_id):
    partner = selectors.partner_for(request.user, partner_id)
    return render(
        request,
        "partners/partner_timeline.html",
        {
            "partner": partner,
            "timeline": selectors.partner_timeline(
                partner, request.user, invitations=None if request.user.is_cbp_staff else []
            ),
        },
    )


@staff_only
@require_http_methods(["GET", "POST"])
def enrollment_move(request, partner, enrollment_id, move):
    enrollment = get_object_or_404(partner.enrollments.all(), pk=enrollment_id)
    try:
        move = Move(move)
        service = services.MOVE_SERVICES[move]
    except (ValueError, KeyError):
        raise Http404("No such move.") from None
    allowed = permissions.can_make_enrollment_move(request.user, enrollment, move)
    if not allowed:
        messages.error(request, f"“{move.label}” is not possible now. {allowed.reason}")
        return redirect("partners:detail", partner.pk)
    form = MoveForm(request.POST or None, move=move)
    if request.method == "POST" and form.is_valid():
        try:
            event = service(enrollment=enrollment, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _add_errors(form, error)
        else:
            moved = event.enrollment
            messages.success(
                request, f"{moved.get_program_display()} is now {moved.status_label.lower()}."
            )
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=f"{move.label}: {partner.legal_name}",
        intro=f"{enrollment.get_program_display()} enrollment, now "
        f"{enrollment.status_label.lower()}. The decision and its reason go on the timeline.",
        form=form,
        submit=move.label,
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def trade_compliance_apply(request, partner):
    deny(permissions.can_apply_trade_compliance(request.user, partner))
    form = TradeComplianceApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trade_compliance_apply(
                partner=partner,
                actor=request.user,
                answers=form.answers(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The Trade Compliance application is recorded.")
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=f"Trade Compliance application: {partner.legal_name}",
        intro="Record the partner's eligibility questionnaire. Every answer must be yes, and "
        "the partner must be an importer, validated at Tier 2 or 3, with 2 years of import "
        "history and no unpaid CBP debt.",
        form=form,
        submit="Record application",
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


def _officer_submission(request, partner_id, *, program, form_class, service, title, intro, kind):
    page = selectors.partner_page(request.user, partner_id)
    enrollment = page.security if program == Program.SECURITY else page.trade_compliance
    deadline = next((d for d in page.deadlines if d.kind == kind), None)
    if enrollment is None or deadline is None:
        messages.error(request, "There is nothing to submit for this program now.")
        return redirect("partners:detail", partner_id)
    # A form already shown and sent again (a double submit) is answered on the form by the
    # service ("already submitted"); the page is not offered outside the window.
    deny(
        permissions.can_submit_annual(
            request.user, enrollment, kind, window=request.method == "GET"
        )
    )
    form = form_class(request.POST or None, initial={"due_on": deadline.due_on})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            service(enrollment=enrollment, actor=request.user, **data)
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{title} submitted. Thank you.")
            return redirect("partners:detail", partner_id)
    return form_page(
        request,
        title=f"{title}: {page.partner.legal_name}",
        intro=intro.format(due=deadline.due_on, opens=deadline.opens_on),
        form=form,
        submit=f"Submit {title.lower()}",
        cancel=reverse("partners:detail", args=[partner_id]),
        partner=page.partner,
    )


@require_http_methods(["GET", "POST"])
def profile_review_submit(request, partner_id):
    """The annual review is "confirm or update each answer" of the Security Profile, on the
    page the profiles app registers ("annual_review_page"); without one, the statement form."""
    pages = registry["annual_review_page"]
    if pages:
        selectors.partner_for(request.user, partner_id)  # 404 outside the person's scope, as before
        return redirect(pages[0](partner_id))
    return _officer_submission(
        request,
        partner_id,
        program=Program.SECURITY,
        form_class=ProfileReviewForm,
        service=services.profile_review_submit,
        title="Annual security profile review",
        intro="Due on {due:%B %-d, %Y}; it can be submitted from {opens:%B %-d, %Y}. Only the "
        "company officer submits it.",
        kind="profile_review",
    )


@require_http_methods(["GET", "POST"])
def notification_letter_submit(request, partner_id):
    def service(*, attestation="", **kwargs):
        return services.notification_letter_submit(
            attestation=attestation
            or "The company officer confirms the company still meets every requirement.",
            **kwargs,
        )

    return _officer_submission(
        request,
        partner_id,
        program=Program.TRADE_COMPLIANCE,
        form_class=NotificationLetterForm,
        service=service,
        title="Annual Notification Letter",
        intro="Due on {due:%B %-d, %Y}; it can be submitted from {opens:%B %-d, %Y}. Only the "
        "company officer submits it.",
        kind="notification_letter",
    )


@require_http_methods(["GET", "POST"])
def second_factor_requirement(request, partner_id):
    """The company officer decides whether the company's users must use a second factor."""
    partner = selectors.partner_for(request.user, partner_id)
    deny(permissions.can_require_second_factor(request.user, partner))
    # A single checkbox left unticked posts nothing: bind on the method, not on the data.
    form = SecondFactorRequirementForm(
        request.POST if request.method == "POST" else None,
        initial={"required": partner.require_second_factor},
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.partner_second_factor_set(
                actor=request.user, partner=partner, required=form.cleaned_data["required"]
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            message = (
                _("Every user of %(partner)s must now use a second factor.")
                if changed.require_second_factor
                else _("The second factor is now optional for the users of %(partner)s.")
            )
            messages.success(request, message % {"partner": partner.legal_name})
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=_("Second factor: %(partner)s") % {"partner": partner.legal_name},
        intro=_(
            "As company officer you decide whether everyone who works for %(partner)s in the "
            "portal, you included, must sign in with a second factor. CBP staff always do."
        )
        % {"partner": partner.legal_name},
        form=form,
        submit=_("Save"),
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


@role_required({Role.PARTNER})
def my_company(request):
    memberships = list(selectors.memberships_of(request.user))
    if len(memberships) == 1:
        return redirect("partners:detail", memberships[0].partner_id)
    return render(
        request,
        "partners/my_company.html",
        {"memberships": memberships, "officer_role": MembershipRole.COMPANY_OFFICER},
    )


# --- Attempts, corrective action plans, appeals ------------------------------------------


@staff_only
@require_http_methods(["GET", "POST"])
def enrollment_reapply(request, partner):
    deny(permissions.can_reapply(request.user, partner, Program.SECURITY))
    form = ReapplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrollment_reapply(partner=partner, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The new Security application is recorded."))
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=_("New Security application: %(partner)s") % {"partner": partner.legal_name},
        intro=_(
            "A new attempt. The partner keeps its account number, identifiers, sites and "
            "people; the earlier attempt stays in its history."
        ),
        form=form,
        submit=_("Record application"),
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


def _partner_enrollment(request, partner_id, enrollment_id):
    """The partner (404 outside the person's scope) and its current enrollment (404 for
    another partner's id or an earlier attempt)."""
    partner = selectors.partner_for(request.user, partner_id)
    enrollment = get_object_or_404(partner.enrollments.all(), pk=enrollment_id)
    enrollment.partner = partner
    return partner, enrollment


@require_http_methods(["GET", "POST"])
def corrective_action_plan_edit(request, partner_id, enrollment_id):
    partner, enrollment = _partner_enrollment(request, partner_id, enrollment_id)
    deny(permissions.can_submit_corrective_action_plan(request.user, enrollment))
    plan = selectors.corrective_action_plan(enrollment)
    initial = [
        {"id": a.pk, "objective": a.objective, "owner": a.owner, "due_on": a.due_on, "note": a.note}
        for a in (plan.actions.all() if plan else [])
    ]
    form = CorrectiveActionPlanForm(
        request.POST or None, initial={"summary": plan.summary if plan else ""}
    )
    formset = CorrectiveActionFormSet(request.POST or None, initial=initial, prefix="actions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        # An objective already in the plan is kept even when unchanged (its form has not
        # "changed"); an empty extra row adds nothing.
        actions = [
            f.cleaned_data
            for f in formset
            if f.cleaned_data and (f.has_changed() or f.cleaned_data.get("id"))
        ]
        submit = request.POST.get("action") == "submit"
        try:
            services.corrective_action_plan_save(
                enrollment=enrollment,
                actor=request.user,
                summary=form.cleaned_data["summary"],
                actions=actions,
                submit=submit,
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The corrective action plan is submitted to CBP.")
                if submit
                else _("The draft is saved."),
            )
            return redirect("partners:detail", partner.pk)
    return render(
        request,
        "partners/corrective_action_plan_form.html",
        {
            "partner": partner,
            "enrollment": enrollment,
            "plan": plan,
            "form": form,
            "formset": formset,
            "title": _("Corrective action plan: %(partner)s") % {"partner": partner.legal_name},
        },
    )


@require_http_methods(["GET", "POST"])
def corrective_action_plan_decide(request, partner_id, plan_id):
    partner = selectors.partner_for(request.user, partner_id)
    plan = get_object_or_404(
        CorrectiveActionPlan.objects.filter(enrollment__partner=partner).select_related(
            "enrollment", "created_by"
        ),
        pk=plan_id,
    )
    plan.enrollment.partner = partner
    deny(permissions.can_decide_corrective_action_plan(request.user, plan))
    form = PlanDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.corrective_action_plan_decide(
                plan=plan,
                actor=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The decision on the plan is recorded."))
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=_("Decide the corrective action plan: %(partner)s") % {"partner": partner.legal_name},
        intro=_(
            "Accepting the plan lets the partner be reinstated (Reinstate, on the partner "
            "page); returning it asks the company officer for another submission."
        ),
        form=form,
        submit=_("Record decision"),
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
        template="partners/plan_decide.html",
        extra={"plan": plan, "actions": selectors.plan_actions(plan, request.user)},
    )


@require_http_methods(["GET", "POST"])
def corrective_action_evidence_add(request, partner_id, action_id):
    """The partner uploads documents showing one objective of its plan done."""
    partner = selectors.partner_for(request.user, partner_id)
    action = get_object_or_404(
        CorrectiveAction.objects.filter(plan__enrollment__partner=partner).select_related(
            "plan__enrollment"
        ),
        pk=action_id,
    )
    action.plan.enrollment.partner = partner
    deny(permissions.can_add_corrective_action_evidence(request.user, action.plan))
    form = CorrectiveActionEvidenceForm(
        request.POST or None, request.FILES or None, request=request
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claim_once(form, request.user)
                documents = services.corrective_action_evidence_add(
                    action=action, actor=request.user, files=form.cleaned_data["file"]
                )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s document is added as evidence for “%(objective)s”.",
                    "%(count)s documents are added as evidence for “%(objective)s”.",
                    len(documents),
                )
                % {"count": len(documents), "objective": action.objective},
            )
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=_("Evidence for “%(objective)s”") % {"objective": action.objective},
        intro=_(
            "Upload the documents that show this objective of the corrective action plan "
            "is done: a log, a contract, a photo. CBP reads them when deciding the plan and "
            "the reinstatement. Each file is checked and scanned before CBP can open it."
        ),
        form=form,
        submit=_("Upload"),
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
        multipart=True,
        template="partners/plan_evidence_form.html",
        extra={
            "action": action,
            "documents": list(action.evidence.listed_for(request.user)),
        },
    )


def corrective_action_evidence_download(request, document_id):
    """One evidence document, to whoever may see the partner (another's id: 404)."""
    document = get_object_or_404(
        CorrectiveActionEvidence.objects.visible_to(request.user).downloadable(),
        pk=document_id,
    )
    return uploads.document_response(document)


@require_http_methods(["GET", "POST"])
def appeal_file(request, partner_id, enrollment_id):
    partner, enrollment = _partner_enrollment(request, partner_id, enrollment_id)
    deny(permissions.can_file_appeal(request.user, enrollment))
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_file(enrollment=enrollment, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your appeal is filed; CBP will decide it."))
            return redirect("partners:detail", partner.pk)
    closes = permissions.appeal_window_closes(enrollment)
    return form_page(
        request,
        title=_("Appeal: %(partner)s") % {"partner": partner.legal_name},
        intro=_(
            "Appeal the %(status)s %(program)s enrollment until %(date)s. A supervisor of "
            "CBP decides within a set number of days."
        )
        % {
            "status": ENROLLMENT_STATE[Status(enrollment.status)],
            "program": enrollment.get_program_display(),
            "date": f"{closes:%B %-d, %Y}",
        },
        form=form,
        submit=_("File the appeal"),
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


@require_http_methods(["GET", "POST"])
def appeal_decide(request, partner_id, appeal_id):
    partner = selectors.partner_for(request.user, partner_id)
    appeal = get_object_or_404(
        Appeal.objects.filter(enrollment__partner=partner).select_related("enrollment", "filed_by"),
        pk=appeal_id,
    )
    appeal.enrollment.partner = partner
    deny(permissions.can_decide_appeal(request.user, appeal))
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_decide(
                appeal=appeal,
                actor=request.user,
                upheld=form.cleaned_data["decision"] == "upheld",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The decision on the appeal is recorded."))
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=_("Decide the appeal: %(partner)s") % {"partner": partner.legal_name},
        intro=_(
            "Upholding lifts the suspension (back to the status before it) or reopens the "
            "rejected application for review; denying lets the decision stand."
        ),
        form=form,
        submit=_("Record decision"),
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
        template="partners/appeal_decide.html",
        extra={"appeal": appeal},
    )
