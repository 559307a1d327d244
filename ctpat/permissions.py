"""The shape of every "who may do what" rule; the rules themselves live in each app.

Each app keeps its rules in `<app>/permissions.py`: one predicate per action a person can
take, named `can_<verb>_<object>(user, obj, ...)`, answering "may this person do this to
this object now", the object's state included. A predicate returns a `Verdict`: true when
allowed; false with the reason, worded for the person, when not. The same predicate is read
by the service that enforces it (`require(...)`), the view that refuses it (`deny(...)`) and
the view that tells the template whether to offer it (a `can_*` flag).
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from .errors import DomainError


class Verdict:
    """A predicate's answer: truthy when allowed, falsy with `reason` when refused."""

    __slots__ = ("reason",)

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def __bool__(self) -> bool:
        return not self.reason

    def __repr__(self) -> str:
        return "Allowed" if self else f"Refused({self.reason!r})"


ALLOWED = Verdict()


def refuse(reason: str) -> Verdict:
    return Verdict(reason)


def first_refusal(*checks: Verdict | Callable[[], Verdict]) -> Verdict:
    """The first refusal among `checks` (verdicts, or callables returning one), or ALLOWED.

    Callables are called in order and only while everything before them allowed, so a
    later check may assume the earlier ones held (and skip their queries).
    """
    for check in checks:
        verdict = check() if callable(check) else check
        if not verdict:
            return verdict
    return ALLOWED


def require(verdict: Verdict) -> None:
    """In a service: raise the refusal as a DomainError the person reads."""
    if not verdict:
        raise DomainError(verdict.reason)


def deny(verdict: Verdict) -> None:
    """In a view: answer 403 with the refusal's reason (objects outside the person's scope
    have already answered 404 through `visible_to`)."""
    if not verdict:
        raise PermissionDenied(verdict.reason)
