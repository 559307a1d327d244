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

from . import mfa
from .forms import SecondFactorResetForm
from .models import FieldOffice, User


@admin.register(FieldOffice)
class FieldOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "field_office"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


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
    readonly_fields = ["last_login", "date_joined", "second_factor"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "field_office"]}),
        ("Access", {"fields": ["is_active", "second_factor"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
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


# Devices are reset through the User page's button, which asks for a reason and records it;
# django-otp's own device screens would let them be deleted without either.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# Access is decided by the user's role, not by groups; hide the unused screen.
admin.site.unregister(Group)
