from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Enrollment,
    EnrollmentEvent,
    Invitation,
    Membership,
    Partner,
    PartnerIdentifier,
    Site,
)


class IdentifierInline(admin.TabularInline):
    model = PartnerIdentifier
    extra = 0


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["legal_name", "account_number", "entity_type", "field_office", "specialist"]
    list_filter = ["entity_type", "field_office"]
    search_fields = ["legal_name", "dba_name", "account_number", "identifiers__value"]
    list_select_related = ["field_office", "specialist"]
    readonly_fields = ["account_number"]
    raw_id_fields = ["specialist", "national_account_manager"]
    inlines = [IdentifierInline, SiteInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "partner", "role"]
    list_filter = ["role"]
    raw_id_fields = ["user", "partner"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "partner", "role", "created_at", "expires_at", "accepted_at"]
    raw_id_fields = ["partner", "invited_by", "accepted_by"]
    readonly_fields = ["token_digest"]


class EnrollmentEventInline(admin.TabularInline):
    model = EnrollmentEvent
    fk_name = "enrollment"
    extra = 0
    can_delete = False
    readonly_fields = ["move", "from_status", "to_status", "tier", "actor", "reason", "at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Read-only here: enrollment moves go through the services, which record them."""

    list_display = ["partner", "program", "attempt", "is_current", "status", "tier", "applied_on"]
    list_filter = ["program", "status", "tier", "is_current"]
    raw_id_fields = ["partner"]
    inlines = [EnrollmentEventInline]

    def get_queryset(self, request):
        return Enrollment.attempts.all()  # earlier attempts too

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
