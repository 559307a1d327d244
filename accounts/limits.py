"""Per-IP rate limits on the forms anyone may post: sign-in, password reset, invitations.

django-ratelimit counts the POSTs of each client address (ctpat.net.client_ip, read as the
audit log and the lockout read it) in the shared cache; beyond the rate in the named
setting, the form is not processed: the answer is 429 with a page saying to wait, and the
refusal is in the audit log. The account lockout (django-axes) protects each account; these
limits slow a single address that tries many accounts, or sends many reset emails.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from ctpat.net import client_network

from . import audit
from .choices import AuditEventType


def _client_address(group: str, request: HttpRequest) -> str:
    return client_network(request)


def _unknown_failures_key(request: HttpRequest) -> str:
    return f"accounts.unknown-address-failures:{client_network(request)}"


def unknown_address_failed(request: HttpRequest) -> None:
    """Count a failed sign-in to an address that names no account against the client's
    network, for UNKNOWN_ADDRESS_FAILURE_MINUTES (the lockout's length)."""
    key = _unknown_failures_key(request)
    timeout = settings.AXES_COOLOFF_TIME.total_seconds()
    if cache.add(key, 1, timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout)


def too_many_unknown_addresses(request: HttpRequest) -> bool:
    """Whether this client has failed on UNKNOWN_ADDRESS_FAILURE_LIMIT addresses that name
    no account: then it may not sign in to any address, known or not, until the count
    expires, so the refusal says nothing about which addresses have accounts."""
    return (cache.get(_unknown_failures_key(request)) or 0) >= (
        settings.UNKNOWN_ADDRESS_FAILURE_LIMIT
    )


def limit_posts_per_ip(group: str, rate_setting: str) -> Callable:
    """Limit the view's POSTs per client address to settings.<rate_setting> ("10/h").

    The rate is read at each request, so a test or an operator's change applies at once."""

    def rate(group: str, request: HttpRequest) -> str:
        return getattr(settings, rate_setting)

    def decorator(view: Callable) -> Callable:
        limited = ratelimit(
            group=f"accounts.{group}", key=_client_address, rate=rate, method="POST", block=True
        )(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            signing_in = group == "sign_in" and request.method == "POST"
            if signing_in and too_many_unknown_addresses(request):
                return refuse(request, "unknown_addresses")
            try:
                return limited(request, *args, **kwargs)
            except Ratelimited:
                return refuse(request, group)

        return wrapped

    return decorator


def refuse(request: HttpRequest, group: str) -> HttpResponse:
    """The 429 page, and the refusal in the audit log."""
    audit.record(
        AuditEventType.RATE_LIMITED,
        request=request,
        object_repr=request.path,
        after={"limit": group},
    )
    return render(request, "registration/rate_limited.html", status=429)
