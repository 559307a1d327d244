from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required
from accounts.choices import Role
from accounts.once import claim_once
from ctpat.deadlines import deadlines_for_partner
from ctpat.errors import DomainError, add_to_form
from ctpat.pages import form_page
from ctpat.permissions import deny
from partners.choices import Program
from partners.models import partner_scope
from partners.selectors import partner_for

from . import permissions, selectors, services
from .filters import ExtensionRequestFilter
from .forms import ConsequenceDecisionForm, ExtensionDecisionForm, ExtensionRequestForm
from .models import Consequence, ExtensionRequest

EVERYONE = frozenset(Role)


# --- Extensions ------------------------------------------------------------------------


@role_required(EVERYONE)
def extension_list(request):
    """Pending requests first, then decided ones, newest first."""
    filterset = ExtensionRequestFilter(
        request.GET, queryset=selectors.extension_requests_for(request.user), request=request
    )
    page = Paginator(filterset.qs.order_by("-status", "-requested_at", "-pk"), 30).get_page(
        request.GET.get("page")
    )
    status = filterset.form.cleaned_data.get("status") or ""
    return render(
        request,
        "deadlines/extension_list.html",
        {
            "page": page,
            "filter": filterset,
            "status": status,
            "statuses": ExtensionRequest.Status.choices,
            "query": f"status={status}" if status else "",
            "can_view_consequences": permissions.can_view_consequences(request.user),
            "is_partner_user": request.user.role == Role.PARTNER,
        },
    )


@require_http_methods(["GET", "POST"])
def extension_new(request, partner_id):
    partner = partner_for(request.user, partner_id)
    deny(permissions.can_ask_for_extension(request.user, partner))
    key = request.GET.get("key") or request.POST.get("key", "")
    enrollments = list(partner.enrollments.all())
    deadline = next(
        (d for d in deadlines_for_partner(partner, enrollments=enrollments) if d.key == key),
        None,
    )
    if deadline is None:
        messages.error(request, "That deadline is not open for an extension; nothing was asked.")
        return redirect("partners:detail", partner.pk)
    # Opening the form: say at once why it cannot be asked. A sent form is answered on the
    # form (a double submit, a request that arrived meanwhile), by the service's own check.
    refusal = permissions.can_ask_for_extension(request.user, partner, deadline)
    if request.method == "GET" and not refusal:
        messages.error(request, f"{refusal.reason} Nothing was asked.")
        return redirect("partners:detail", partner.pk)
    form = ExtensionRequestForm(request.POST or None, initial={"key": key})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claim_once(form, request.user)
                services.extension_request(
                    actor=request.user,
                    partner=partner,
                    key=key,
                    requested_until=form.cleaned_data["requested_until"],
                    reason=form.cleaned_data["reason"],
                )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request, f"Your request for more time on “{deadline.label}” went to CBP."
            )
            return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        title=f"Ask for more time: {deadline.label}",
        intro=f"Currently due on {deadline.due_on:%B %-d, %Y}. A CBP specialist grants a new "
        "date or declines; you are notified either way.",
        form=form,
        submit="Send the request",
        cancel=reverse("partners:detail", args=[partner.pk]),
        partner=partner,
    )


@role_required(EVERYONE)
@require_http_methods(["GET", "POST"])
def extension_detail(request, extension_id):
    extension = get_object_or_404(selectors.extension_requests_for(request.user), pk=extension_id)
    may_decide = permissions.can_decide_extension(request.user, extension)
    form = None
    if may_decide:
        form = ExtensionDecisionForm(
            request.POST or None,
            initial={"decision": "grant", "until": extension.requested_until},
        )
    elif request.method == "POST":
        messages.error(request, f"{may_decide.reason} Nothing changed.")
        return redirect("deadlines:extension", extension.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decided = services.extension_decide(
                actor=request.user,
                request=extension,
                grant=data["decision"] == "grant",
                until=data["until"],
                note=data["note"],
            )
        except DomainError as error:  # shown on the form, with what was entered kept
            add_to_form(form, error)
        else:
            messages.success(request, f"Extension {decided.get_status_display().lower()}.")
            return redirect("deadlines:extension", extension.pk)
    return render(
        request, "deadlines/extension_detail.html", {"extension": extension, "form": form}
    )


# --- Consequences ----------------------------------------------------------------------


def consequence_list(request):
    """Proposals awaiting a decision (each one this person may decide: its partner is in
    scope and it is still proposed, as can_decide_consequence), and the latest decided."""
    deny(permissions.can_view_consequences(request.user))
    proposed = list(selectors.open_consequences(request.user)[:200])
    # Confirm is offered only where it would be accepted (the deadline still overdue);
    # otherwise the row says why, and Dismiss remains.
    open_items = permissions.open_deadlines({c.partner_id for c in proposed})
    for consequence in proposed:
        consequence.confirmable = permissions.can_confirm_consequence(
            request.user, consequence, open_items=open_items, in_scope=True
        )
    decided = selectors.decided_consequences(request.user)[:20]
    return render(
        request,
        "deadlines/consequence_list.html",
        {
            "proposed": proposed,
            "decided": list(decided),
            "form": ConsequenceDecisionForm(),
            "trade_compliance": Program.TRADE_COMPLIANCE,
        },
    )


@require_POST
def consequence_decide(request, consequence_id):
    deny(permissions.can_view_consequences(request.user))
    consequence = get_object_or_404(
        Consequence.objects.filter(partner_scope(request.user, "partner")).select_related(
            "partner"
        ),
        pk=consequence_id,
    )
    form = ConsequenceDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose confirm or dismiss, and give a reason; nothing changed.")
        return redirect("deadlines:consequences")
    confirm = form.cleaned_data["decision"] == "confirm"
    try:
        decided = services.consequence_decide(
            actor=request.user,
            consequence=consequence,
            confirm=confirm,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _decision_message(decided, consequence.partner.legal_name))
    return redirect("deadlines:consequences")


def _decision_message(decided: Consequence, partner_name: str) -> str:
    """What was decided and, for a confirmation, what happens next with a link to it."""
    outcome = _("%(label)s for %(partner)s: %(status)s.") % {
        "label": decided.label,
        "partner": partner_name,
        "status": decided.get_status_display().lower(),
    }
    step = decided.next_step
    if step is None:
        return outcome
    return format_html('{} {} <a href="{}">{}</a>', outcome, step.text, step.url, step.link_text)
