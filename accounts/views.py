import csv
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ctpat.csv_preview import spreadsheet_safe
from ctpat.errors import DomainError, add_to_form
from ctpat.pages import form_page
from ctpat.pagination import DeferredJoinPaginator
from ctpat.permissions import deny

from . import audit, mfa, services, sessions
from .access import role_required
from .choices import AuditEventType, Role
from .filters import AuditEventFilter
from .forms import PasswordResetForm, PreferencesForm, SetupCodeForm, SignInForm, VerifyCodeForm
from .limits import limit_posts_per_ip
from .models import AuditEvent, User
from .permissions import can_view_audit_log


def preferences(request):
    """The person's own settings: whether reminders come by email; the second factor;
    signing out everywhere."""
    # A single checkbox left unticked posts nothing: bind on the method, not on the data.
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("preferences")
    return form_page(
        request,
        title=_("Preferences"),
        intro=_(
            "Reminders before a deadline can come by email or only in the portal. Overdue "
            "notices and decisions always come by email."
        ),
        form=form,
        submit=_("Save"),
        cancel="/",
        template="accounts/preferences.html",
        extra={"has_second_factor": mfa.has_second_factor(request.user)},
    )


def _next_url(request) -> str:
    """Where to go after the second step: the `next` address if it is ours, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Add an authenticator app: scan the QR code or type the secret, then confirm it with a
    code. Open to whoever has none yet, and to a verified session moving to a new phone."""
    user = request.user
    if mfa.has_second_factor(user) and not mfa.is_verified(request):
        return redirect(_then("mfa_verify", _next_url(request)))
    device = mfa.pending_app_device(user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.second_factor_enroll(
                request=request, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            request.session[mfa.FRESH_CODES_SESSION_KEY] = codes
            messages.success(request, _("Your second factor is set up."))
            return redirect(_then("mfa_recovery_codes", _next_url(request)))
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "qr_code": mfa.qr_code_data_uri(device),
            "secret": mfa.secret_for_typing(device),
            "required": mfa.required_for(user),
            "replacing": mfa.has_second_factor(user),
            "next": _next_url(request),
        },
    )


@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step of signing in."""
    user = request.user
    if mfa.is_verified(request):
        return redirect(_next_url(request))
    if not mfa.has_second_factor(user):
        if mfa.required_for(user):
            return redirect(_then("mfa_setup", _next_url(request)))
        return redirect(_next_url(request))
    form = VerifyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.second_factor_verify(request=request, code=form.cleaned_data["code"])
        except DomainError as error:
            add_to_form(form, error)
        else:
            left = mfa.recovery_codes_left(user)
            if left <= 3:
                messages.warning(
                    request,
                    _(
                        "You have %(left)s recovery codes left. Make new ones on the second factor page."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
    return render(
        request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)}
    )


@require_http_methods(["GET", "POST"])
def mfa_recovery_codes(request):
    """The recovery codes just made, shown once; a POST makes new ones."""
    user = request.user
    if not mfa.has_second_factor(user):
        return redirect("mfa_setup")
    if not mfa.is_verified(request):
        return redirect(_then("mfa_verify", request.get_full_path()))
    if request.method == "POST":
        request.session[mfa.FRESH_CODES_SESSION_KEY] = mfa.recovery_codes_renew(user=user)
        messages.success(
            request, _("New recovery codes are made; the earlier ones no longer work.")
        )
        return redirect("mfa_recovery_codes")
    codes = request.session.pop(mfa.FRESH_CODES_SESSION_KEY, None)
    return render(
        request,
        "registration/mfa_recovery_codes.html",
        {"codes": codes, "left": mfa.recovery_codes_left(user), "next": _next_url(request)},
    )


@require_http_methods(["GET", "POST"])
def mfa_manage(request):
    """The person's second factor: whether it is set up, the recovery codes left, and the
    ways to set it up, move it to a new phone, make new codes or (if optional) turn it off."""
    user = request.user
    required = mfa.required_for(user)
    if request.method == "POST" and "remove" in request.POST:
        try:
            mfa.second_factor_remove(user=user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your second factor is turned off."))
        return redirect("mfa_manage")
    device = mfa.app_device(user)
    return render(
        request,
        "registration/mfa_manage.html",
        {
            "device": device,
            "required": required,
            "left": mfa.recovery_codes_left(user) if device else 0,
        },
    )


def _then(name: str, next_url: str) -> str:
    """The address of the page `name`, carrying where to go after it."""
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@require_POST
def sign_out_everywhere(request):
    """End every session of the person, this one included (Preferences)."""
    services.user_sign_out_everywhere(user=request.user)
    sessions.sign_out(request)
    messages.success(request, _("You are signed out everywhere, here too. Sign in again to go on."))
    return redirect("login")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's (which keeps this session signed in), with the change in the audit log."""

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditEventType.PASSWORD_CHANGED, obj=self.request.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, finding the account by its normalized address; the request is audited
    (with the account when the address has one)."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        address = form.cleaned_data["email"]
        user = User.objects.with_address(address).first()
        audit.record(
            AuditEventType.PASSWORD_RESET_REQUESTED,
            obj=user,
            actor=user,
            object_repr="" if user else address,
        )
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditEventType.PASSWORD_RESET, obj=self.user, actor=self.user)
        return response


sign_in = limit_posts_per_ip("sign_in", "RATELIMIT_SIGN_IN")(
    auth_views.LoginView.as_view(authentication_form=SignInForm)
)
password_change = PasswordChangeView.as_view()
password_reset = limit_posts_per_ip("password_reset", "RATELIMIT_PASSWORD_RESET")(
    PasswordResetView.as_view()
)
password_reset_confirm = limit_posts_per_ip("password_reset_confirm", "RATELIMIT_PASSWORD_RESET")(
    PasswordResetConfirmView.as_view()
)


# --- The audit log -----------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50


def _audit_filtered(request) -> AuditEventFilter:
    return AuditEventFilter(request.GET or None, queryset=AuditEvent.objects.all())


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(field, before, after) of each field the record keeps, for reading."""
    before, after = event.before or {}, event.after or {}
    names = list(before) + [name for name in after if name not in before]
    return [
        (
            name,
            _shown(before[name]) if name in before else "",
            _shown(after[name]) if name in after else "",
        )
        for name in names
    ]


@role_required([Role.ADMINISTRATOR])
def audit_log(request):
    """Every recorded event, newest first, searched by person, partner, event, object and
    dates; the filtered rows download as CSV."""
    deny(can_view_audit_log(request.user))
    filterset = _audit_filtered(request)
    paginator = DeferredJoinPaginator(
        filterset.qs, AUDIT_PAGE_SIZE, fetch=lambda ids: AuditEvent.objects.filter(pk__in=ids)
    )
    page = paginator.get_page(request.GET.get("page"))
    for event in page.object_list:
        event.changes = _changes(event)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


AUDIT_CSV_HEADER = [
    "At",
    "Actor",
    "IP address",
    "Browser",
    "Event",
    "Object type",
    "Object id",
    "Object",
    "Partner id",
    "Before",
    "After",
    "Reason",
]


class _Echo:
    def write(self, value):
        return value


def _audit_row(event: AuditEvent) -> list[str]:
    cells = [
        timezone.localtime(event.at).isoformat(),
        event.actor_label,
        event.ip,
        event.user_agent,
        event.event,
        event.object_type,
        event.object_id,
        event.object_repr,
        event.partner_id,
        json.dumps(event.before, ensure_ascii=False) if event.before is not None else "",
        json.dumps(event.after, ensure_ascii=False) if event.after is not None else "",
        event.reason,
    ]
    return [spreadsheet_safe(cell) for cell in cells]


@role_required([Role.ADMINISTRATOR])
def audit_export(request):
    """The filtered rows as CSV, streamed; the export is itself recorded."""
    deny(can_view_audit_log(request.user))
    queryset = _audit_filtered(request).qs
    writer = csv.writer(_Echo())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"audit-log-{stamp}.csv"
    audit.record_export(name, request=request)

    def rows():
        yield writer.writerow(AUDIT_CSV_HEADER)
        for event in queryset.iterator(chunk_size=2000):
            yield writer.writerow(_audit_row(event))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
