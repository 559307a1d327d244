"""One-time form tokens: a form that creates something is acted on once."""

import uuid

from django import forms
from django.db import IntegrityError, transaction

from ctpat.errors import DomainError

from .models import FormSubmission

ALREADY_SUBMITTED = (
    "This form was already submitted, so nothing was done a second time. "
    "Check the page for the result before trying again."
)


class OnceFormMixin(forms.Form):
    """Adds the hidden one-time token; call `claim_once` inside the view's transaction."""

    submission = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


def claim_once(form, user) -> None:
    """Record the form's token, or raise DomainError if it was used before.

    Call inside transaction.atomic() together with the change it guards: if the change
    fails, the token is released with the rollback and the person can submit again.
    """
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=form.cleaned_data["submission"], user=user)
    except IntegrityError:
        raise DomainError(ALREADY_SUBMITTED) from None


def was_submitted(form) -> bool:
    """Whether the (valid) form's token was used already: a page that would ask a question
    first (a warning to confirm) lets `claim_once` answer a double submit instead."""
    return FormSubmission.objects.filter(token=form.cleaned_data["submission"]).exists()
