from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctpat.errors import DomainError, add_to_form

from . import audit, mfa, services
from .forms import AddressField, SecondFactorResetForm
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
        label=gettext_lazy("Reason for this change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Kept in the audit log with the change (for instance, the ticket number)."
        ),
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
    readonly_fields = [
        "last_login",
        "date_joined",
        "reenabled_at",
        "unused_notice_sent_at",
        "second_factor",
    ]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "field_office"]}),
        ("Access", {"fields": ["is_active", "second_factor"]}),
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

    @admin.display(description=gettext_lazy("Second factor"))
    def second_factor(self, user):
        if user.pk is None:
            return "—"
        if not mfa.has_second_factor(user):
            return _("Not set up") + (
                _(" (asked for at the next sign-in)") if mfa.required_for(user) else ""
            )
        url = reverse("admin:accounts_user_mfa_reset", args=[user.pk])
        return format_html(
            '{} <a class="button" href="{}" data-action="mfa-reset">{}</a>',
            _("Set up."),
            url,
            _("Reset the second factor"),
        )

    def get_urls(self):
        return [
            path(
                "<int:user_id>/second-factor/reset/",
                self.admin_site.admin_view(self.mfa_reset_view),
                name="accounts_user_mfa_reset",
            ),
            *super().get_urls(),
        ]

    def mfa_reset_view(self, request, user_id):
        """Remove a person's second factor, with a reason for the audit log; they set it up
        again at their next sign-in."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        person = get_object_or_404(User, pk=user_id)
        form = SecondFactorResetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                mfa.second_factor_reset(
                    actor=request.user, user=person, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The second factor of %(person)s is reset; they set it up again at "
                        "their next sign-in."
                    )
                    % {"person": person.email},
                )
                return redirect("admin:accounts_user_change", person.pk)
        return TemplateResponse(
            request,
            "admin/accounts/user/mfa_reset.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reset the second factor of %(person)s") % {"person": person.email},
                "person": person,
                "form": form,
                "opts": self.model._meta,
                "has_second_factor": mfa.has_second_factor(person),
            },
        )


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


# Devices are reset through the User page's button, which asks for a reason and records it;
# django-otp's own device screens would let them be deleted without either.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# Access is decided by the user's role, not by groups; hide the unused screen.
admin.site.unregister(Group)
