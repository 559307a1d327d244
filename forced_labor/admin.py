from django.contrib import admin

from .models import Requirement, RequirementVersion, Submission


class VersionInline(admin.StackedInline):
    """Add a version from a date to change what a requirement asks; partners are judged by
    the version in force."""

    model = RequirementVersion
    extra = 0


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "asks_public_url"]
    inlines = [VersionInline]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: submissions change only through the partner's uploads and CBP's reviews."""

    list_display = ["partner", "requirement", "version", "status", "submitted_at", "reviewer"]
    list_filter = ["status", "requirement"]
    raw_id_fields = ["partner"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
