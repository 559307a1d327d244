"""Filter pieces every app's list may share; django-filter only (ctpat imports no app).

A list binds its FilterSet to the whole query string. A value that does not parse
(?partner=abc, ?status=nonsense) leaves its filter out, and the list says so with
templates/ctpat/filter_errors.html.
"""

import django_filters
from django import forms


class IdFilter(django_filters.Filter):
    """An object's id (?partner=12): a whole number from 1 within an id's range, filtered
    without a lookup."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)  # an id column's range; beyond it, no row
        super().__init__(*args, **kwargs)


class CheckFilter(django_filters.BooleanFilter):
    """A checkbox (?mine=1): True with any value, False (not None) when absent, so its
    `method` is called either way and must leave the list alone on False."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)
