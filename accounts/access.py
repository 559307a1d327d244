"""Who may open which page. Object-level scoping lives with each model's queryset."""

from collections.abc import Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied

from ctpat.net import client_ip

from .models import User


def role_required(roles: Iterable[str]):
    """Let through signed-in users whose role is in `roles`; answer 403 to the rest.

    Sign-in itself is enforced for every view by LoginRequiredMiddleware.
    """
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if getattr(request.user, "role", None) not in allowed:
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed
        return wrapped

    return decorator


ACCOUNT_KEY = "account:"
UNKNOWN_KEY = "unknown-from:"


def axes_username(request, credentials):
    """What django-axes counts failures against: the account, or the address it came from.

    An address that names an account (found as sign-in finds it: the normalized spelling,
    exactly) counts against `account:<pk>`, so every spelling of one account shares one
    counter and one lockout, which the first authentication backend checks before any
    password. An address that names no account counts against `unknown-from:<ip>`: one
    counter per client address, so guessing across spellings or addresses gains nothing,
    and nothing in the answer tells a known address from an unknown one.
    """
    address = (credentials or {}).get("username") or request.POST.get("username", "")
    # axes asks several times per attempt; one query per address and request is enough.
    known = request.__dict__.setdefault("_axes_keys", {})
    if address not in known:
        pk = User.objects.with_address(address).values_list("pk", flat=True).first()
        if pk is not None:
            known[address] = f"{ACCOUNT_KEY}{pk}"
        else:
            known[address] = f"{UNKNOWN_KEY}{client_ip(request) or 'unknown'}"
    return known[address]


def account_of_axes_key(key: str | None) -> int | None:
    """The account id in a key axes_username gave, or None for an unknown address."""
    if key and key.startswith(ACCOUNT_KEY):
        return int(key.removeprefix(ACCOUNT_KEY))
    return None
