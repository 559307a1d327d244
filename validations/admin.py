from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import (
    Category,
    Criterion,
    CriterionApplicability,
    CriterionSource,
    CriterionVersion,
    DocumentRequestTemplate,
    FocusArea,
    Validation,
)


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "focus_area"]
    list_select_related = ["focus_area"]


@admin.register(CriterionSource)
class CriterionSourceAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on", "kind", "entity_types"]
    list_filter = ["kind"]


class ApplicabilityInline(admin.TabularInline):
    model = CriterionApplicability
    extra = 0


class VersionInline(admin.StackedInline):
    """New versions are added; a version a validation was judged by is never edited."""

    model = CriterionVersion
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return []

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and CriterionVersion.objects.filter(criterion=obj, findings__isnull=False).exists()
        ):
            return False
        return super().has_change_permission(request, obj)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "category", "import_link"]
    list_filter = ["category", "applies_to__entity_type"]
    search_fields = ["code", "versions__text"]
    list_select_related = ["category"]
    readonly_fields = ["code"]
    inlines = [ApplicabilityInline, VersionInline]

    @admin.display(description="CSV")
    def import_link(self, obj):
        return format_html(
            '<a href="{}">Import versions</a>', reverse("validations:criteria_import")
        )


@admin.register(DocumentRequestTemplate)
class DocumentRequestTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "entity_type", "kind", "order"]
    list_filter = ["entity_type", "kind"]
    search_fields = ["name"]


@admin.register(Validation)
class ValidationAdmin(admin.ModelAdmin):
    """Read-only: validations move through their services, which keep the record."""

    list_display = ["enrollment", "kind", "status", "planned_start", "lead"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["enrollment", "lead", "approving_supervisor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
