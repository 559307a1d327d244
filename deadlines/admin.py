from django.contrib import admin

from .models import Consequence, ExtensionRequest


@admin.register(Consequence)
class ConsequenceAdmin(admin.ModelAdmin):
    list_display = ["partner", "kind", "due_on", "status", "decided_by", "decided_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Consequence._meta.fields]

    def has_add_permission(self, request):  # proposed by the sweep, decided on its page
        return False


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    list_display = ["partner", "deadline_label", "due_on", "requested_until", "status"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in ExtensionRequest._meta.fields]

    def has_add_permission(self, request):  # asked by partners, decided on its page
        return False
