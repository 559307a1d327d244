from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, AgencyOffering, Benefit


@admin.register(Benefit)
class BenefitAdmin(SimpleHistoryAdmin):
    """The catalogue is kept here; who has a benefit is derived, never typed in."""

    list_display = ["name", "program", "condition", "metric", "is_active"]
    list_filter = ["program", "condition", "is_active"]
    prepopulated_fields = {"code": ["name"]}


class OfferingInline(admin.StackedInline):
    model = AgencyOffering
    extra = 0


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]
    inlines = [OfferingInline]
