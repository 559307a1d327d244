from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from . import audit, services
from .forms import AddressField
from .models import AuditEvent, FieldOffice, User


@admin.register(FieldOffice)
class FieldOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "field_office"]
        field_classes = {"email": AddressField}


class UserEditForm(UserChangeForm):
    """The admin's change form; the reason is kept in the audit log with the change."""

    reason = forms.CharField(
        label=_("Reason for this change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit log with the change (for instance, the ticket number)."),
    )

    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"email": AddressField}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "field_office", "is_active", "last_login"]
    list_filter = ["role", "field_office", "is_active"]
    search_fields = ["email", "full_name"]
    list_select_related = ["field_office"]
    filter_horizontal = []
    readonly_fields = ["last_login", "date_joined", "reenabled_at", "unused_notice_sent_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "field_office"]}),
        ("Access", {"fields": ["is_active"]}),
        (
            "Dates",
            {"fields": ["last_login", "date_joined", "reenabled_at", "unused_notice_sent_at"]},
        ),
        (None, {"fields": ["reason"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "role", "field_office", "password1", "password2"],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        if "is_active" in form.changed_data and obj.is_active:
            # Enabled again: counts as use, or the nightly task would disable it again.
            services.user_reenable(user=obj)
        with audit.because(form.cleaned_data["reason"]):
            super().save_model(request, obj, form, change)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the audit log is append-only (the database refuses changes on
    PostgreSQL too). The searchable page for administrators is /accounts/audit/."""

    list_display = ["at", "actor_label", "event", "object_type", "object_id", "partner_id", "ip"]
    list_filter = ["event", "object_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["actor_label", "object_repr", "object_id", "reason", "ip"]
    date_hierarchy = "at"
    show_full_result_count = False  # a count of the whole log on every page is slow

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Access is decided by the user's role, not by groups; hide the unused screen.
admin.site.unregister(Group)
