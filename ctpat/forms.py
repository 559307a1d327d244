"""Form pieces every app uses."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%Y-%m-%d"
DATE_INVALID = _("Enter a date that exists, as YYYY-MM-DD (for example 2026-12-31).")


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


class DateInput(forms.DateInput):
    """The browser's date picker, which keeps what the person typed when it is not a date.

    A browser's `<input type="date">` accepts only a valid `YYYY-MM-DD` value and silently
    empties itself on anything else, so a form sent back with "2026-02-30" or "31/12/2026"
    used to show an empty box beside the error. When the value is not an ISO date the field
    is drawn as a text box holding the raw value instead, with the format as its hint.
    Dates are always written `YYYY-MM-DD`, whatever the language, since it is the only form
    the picker reads.
    """

    input_type = "date"

    def __init__(self, attrs=None, format=DATE_FORMAT):
        super().__init__(attrs, format)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        raw = context["widget"]["value"]
        if isinstance(raw, str) and raw and not _is_iso_date(raw):
            context["widget"]["type"] = "text"
            context["widget"]["attrs"].setdefault("placeholder", "YYYY-MM-DD")
        return context


class DateField(forms.DateField):
    """A date field with the date picker and an error that says what is expected."""

    widget = DateInput
    default_error_messages = {"invalid": DATE_INVALID}
