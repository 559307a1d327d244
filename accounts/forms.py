from django import forms
from django.contrib.auth import forms as auth_forms
from django.template.loader import render_to_string
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from ctpat import outbox

from .models import User, normalize_email


class AddressField(forms.EmailField):
    """An email address, normalized as accounts store it before it is validated, so that a
    fullwidth or long-s spelling is checked (and kept) as the plain address it stands for."""

    def to_python(self, value):
        return normalize_email(super().to_python(value))


class SignInForm(auth_forms.AuthenticationForm):
    """Django's sign-in form with a message that fits an email login."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "The email address or password is not right. Passwords are case-sensitive; "
            "after 5 failed attempts the account is locked for 30 minutes."
        ),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, finding the account exactly as sign-in does (the normalized address),
    where Django's own lookup is case-insensitive in the database's way (issue 14)."""

    email = AddressField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        users = User.objects.with_address(email).filter(is_active=True)
        return (user for user in users if user.has_usable_password())

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the email through the outbox instead of sending it in the request: a reply
        that waited on the mail server only for real accounts would tell them apart."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        text = render_to_string(email_template_name, context)
        html = (
            render_to_string(html_email_template_name, context)
            if html_email_template_name
            else linebreaks(text, autoescape=True)
        )
        outbox.enqueue(
            "notifications.send_email", to=[to_email], subject=subject, text=text, html=html
        )


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["reminder_emails"]
        labels = {"reminder_emails": _("Email me reminders before deadlines")}


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
