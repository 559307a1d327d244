from django.contrib import admin

from .models import FailedEmail


@admin.register(FailedEmail)
class FailedEmailAdmin(admin.ModelAdmin):
    """Mail the server refused after every retry: who did not hear what, and why."""

    list_display = ["failed_at", "subject", "to", "error"]
    search_fields = ["to", "subject"]
    readonly_fields = ["to", "subject", "error", "failed_at"]

    def has_add_permission(self, request):
        return False
