from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignInForm(AuthenticationForm):
    """Django's sign-in form with a message that fits an email login."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The email address or password is not right. Passwords are "
        "case-sensitive; after 5 failed attempts the account is locked for 30 minutes.",
    }


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["reminder_emails"]
        labels = {"reminder_emails": "Email me reminders before deadlines"}


class SetupCodeForm(forms.Form):
    """The first code from the newly added authenticator app."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class VerifyCodeForm(forms.Form):
    """The second step of signing in."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "The 6-digit code your authenticator app shows, or one of your recovery codes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class SecondFactorResetForm(forms.Form):
    """An administrator's reset of someone's second factor: the reason is kept in the log."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log, e.g. “Lost phone; identity checked by call-back”."),
    )
