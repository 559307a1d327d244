from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctpat.errors import DomainError, add_to_form
from ctpat.pages import form_page

from . import mfa
from .forms import PreferencesForm, SetupCodeForm, VerifyCodeForm


def preferences(request):
    """The person's own settings: whether reminders come by email; the second factor."""
    # A single checkbox left unticked posts nothing: bind on the method, not on the data.
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your preferences are saved.")
        return redirect("preferences")
    return form_page(
        request,
        title="Preferences",
        intro="Reminders before a deadline can come by email or only in the portal. Overdue "
        "notices and decisions always come by email.",
        form=form,
        submit="Save",
        cancel="/",
        template="registration/preferences.html",
        extra={"has_second_factor": mfa.has_second_factor(request.user)},
    )


def _next_url(request) -> str:
    """Where to go after the second step: the `next` address if it is ours, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Add an authenticator app: scan the QR code or type the secret, then confirm it with a
    code. Open to whoever has none yet, and to a verified session moving to a new phone."""
    user = request.user
    if mfa.has_second_factor(user) and not mfa.is_verified(request):
        return redirect(_then("mfa_verify", _next_url(request)))
    device = mfa.pending_app_device(user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.second_factor_enroll(
                request=request, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            request.session[mfa.FRESH_CODES_SESSION_KEY] = codes
            messages.success(request, _("Your second factor is set up."))
            return redirect(_then("mfa_recovery_codes", _next_url(request)))
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "qr_code": mfa.qr_code_data_uri(device),
            "secret": mfa.secret_for_typing(device),
            "required": mfa.required_for(user),
            "replacing": mfa.has_second_factor(user),
            "next": _next_url(request),
        },
    )


@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step of signing in."""
    user = request.user
    if mfa.is_verified(request):
        return redirect(_next_url(request))
    if not mfa.has_second_factor(user):
        if mfa.required_for(user):
            return redirect(_then("mfa_setup", _next_url(request)))
        return redirect(_next_url(request))
    form = VerifyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.second_factor_verify(request=request, code=form.cleaned_data["code"])
        except DomainError as error:
            add_to_form(form, error)
        else:
            left = mfa.recovery_codes_left(user)
            if left <= 3:
                messages.warning(
                    request,
                    _(
                        "You have %(left)s recovery codes left. Make new ones on the second factor page."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
    return render(
        request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)}
    )


@require_http_methods(["GET", "POST"])
def mfa_recovery_codes(request):
    """The recovery codes just made, shown once; a POST makes new ones."""
    user = request.user
    if not mfa.has_second_factor(user):
        return redirect("mfa_setup")
    if not mfa.is_verified(request):
        return redirect(_then("mfa_verify", request.get_full_path()))
    if request.method == "POST":
        request.session[mfa.FRESH_CODES_SESSION_KEY] = mfa.recovery_codes_renew(user=user)
        messages.success(
            request, _("New recovery codes are made; the earlier ones no longer work.")
        )
        return redirect("mfa_recovery_codes")
    codes = request.session.pop(mfa.FRESH_CODES_SESSION_KEY, None)
    return render(
        request,
        "registration/mfa_recovery_codes.html",
        {"codes": codes, "left": mfa.recovery_codes_left(user), "next": _next_url(request)},
    )


@require_http_methods(["GET", "POST"])
def mfa_manage(request):
    """The person's second factor: whether it is set up, the recovery codes left, and the
    ways to set it up, move it to a new phone, make new codes or (if optional) turn it off."""
    user = request.user
    required = mfa.required_for(user)
    if request.method == "POST" and "remove" in request.POST:
        try:
            mfa.second_factor_remove(user=user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your second factor is turned off."))
        return redirect("mfa_manage")
    device = mfa.app_device(user)
    return render(
        request,
        "registration/mfa_manage.html",
        {
            "device": device,
            "required": required,
            "left": mfa.recovery_codes_left(user) if device else 0,
        },
    )


def _then(name: str, next_url: str) -> str:
    """The address of the page `name`, carrying where to go after it."""
    return f"{reverse(name)}?{urlencode({'next': next_url})}"
