from django import forms
from django.contrib.auth.forms import AuthenticationForm

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
