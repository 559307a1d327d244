import csv
import json

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.csv_preview import spreadsheet_safe
from ctpat.pagination import DeferredJoinPaginator
from ctpat.permissions import deny

from . import audit, services, sessions
from .access import role_required
from .choices import AuditEventType, Role
from .filters import AuditEventFilter
from .forms import PasswordResetForm, PreferencesForm, SignInForm
from .limits import limit_posts_per_ip
from .models import AuditEvent, User
from .permissions import can_view_audit_log


def preferences(request):
    """The person's own settings: whether reminders come by email; sign out everywhere."""
    # A single checkbox left unticked posts nothing: bind on the method, not on the data.
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("preferences")
    return render(
        request,
        "accounts/preferences.html",
        {
            "title": _("Preferences"),
            "intro": _(
                "Reminders before a deadline can come by email or only in the portal. Overdue "
                "notices and decisions always come by email."
            ),
            "form": form,
            "submit_label": _("Save"),
            "cancel_url": "/",
        },
    )


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
