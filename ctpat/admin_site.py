"""The admin site: Django's, with change lists that answer a bad date filter with their
"invalid filter" redirect (?e=1) instead of a 500.

Django's date hierarchy turns ?<field>__year=, __month=, __day= into a datetime and
catches ValueError, but a year of 10**30 raises OverflowError, and so does the month
after December 9999. Every model's admin gets the fix, django-axes' too, because the site
adds it to each ModelAdmin as it is registered.
"""

from functools import cache

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters


class _BoundedDates:
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


@cache
def _bounded(changelist: type) -> type:
    return type(changelist.__name__, (_BoundedDates, changelist), {})


class _BoundedDatesAdmin:
    def get_changelist(self, request, **kwargs):
        return _bounded(super().get_changelist(request, **kwargs))


class AdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, _BoundedDatesAdmin):
            admin_class = type(
                admin_class.__name__,
                (_BoundedDatesAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
