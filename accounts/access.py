"""Who may open which page. Object-level scoping lives with each model's queryset."""

from collections.abc import Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied


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


def axes_username(request, credentials):
    """The login name django-axes counts failures against: the address, case-folded."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()
