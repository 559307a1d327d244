"""Who may open which page. Object-level scoping lives with each model's queryset."""

import hashlib
from collections.abc import Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import User, normalize_email


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
UNKNOWN_KEY = "unknown:"


def axes_username(request, credentials):
    """What django-axes counts failures against: the account, or the unknown address.

    An address that names an account (found as sign-in finds it: the normalized spelling,
    exactly) counts against `account:<pk>`, so every spelling of one account shares one
    counter and one lockout, which the first authentication backend checks before any
    password. An address that names no account counts against `unknown:<digest>` of its
    normalized spelling, and locks exactly as an account would, so the answers never tell
    a known address from an unknown one. (Failures for unknown addresses are also counted
    per client network, which blocks that client's sign-ins to every address alike:
    accounts.limits.unknown_address_failed.)
    """
    address = (credentials or {}).get("username") or request.POST.get("username", "")
    # axes asks several times per attempt; one query per address and request is enough.
    known = request.__dict__.setdefault("_axes_keys", {})
    if address not in known:
        pk = User.objects.with_address(address).values_list("pk", flat=True).first()
        if pk is not None:
            known[address] = f"{ACCOUNT_KEY}{pk}"
        else:
            digest = hashlib.sha256(normalize_email(address).encode()).hexdigest()[:32]
            known[address] = f"{UNKNOWN_KEY}{digest}"
    return known[address]


def account_of_axes_key(key: str | None) -> int | None:
    """The account id in a key axes_username gave, or None for an unknown address."""
    if key and key.startswith(ACCOUNT_KEY):
        return int(key.removeprefix(ACCOUNT_KEY))
    return None
