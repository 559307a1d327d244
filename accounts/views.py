from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit, services, sessions
from .choices import AuditEventType
from .forms import PasswordResetForm, PreferencesForm, SignInForm
from .limits import limit_posts_per_ip
from .models import User


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
