"""A lost database connection answers a safe read again, and anything else a plain 503.

PostgreSQL can drop a connection under us (a failover, a restart, an administrator's
pg_terminate_backend). Django then raises OperationalError or InterfaceError wherever the
next query happens: in the view, but also in the middleware below this one (the session is
read by the sign-in check and saved after every response, SESSION_SAVE_EVERY_REQUEST), where
Django turns it into a bare 500, or, for the session save, into a bare 400
(SessionInterrupted). `DatabaseFaultMiddleware` sits above all of them and:

- closes the broken connection, so the next query opens a fresh one;
- runs a GET or HEAD once more (reading twice changes nothing);
- answers anything else, or a second failure, with templates/503.html and Retry-After.

A POST answered 503 may or may not have been saved; the one-time form token
(accounts/once.py) is claimed in the same transaction as the form's change, so sending the
form again either does the work once or says it was already done.
"""

import logging
import sys

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.exceptions import BadRequest
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
SAFE_METHODS = ("GET", "HEAD")
# Set on the request when a database connection failed while it was answered.
_FAULT = "_ctpat_database_fault"


def _driver_faults() -> tuple[type[BaseException], ...]:
    """The database drivers' own connection errors: a query iterated in chunks (a select's
    choices in a template) fetches from the driver's cursor outside Django's error wrapper,
    so psycopg2's OperationalError reaches us unwrapped."""
    faults: list[type[BaseException]] = []
    for alias in connections:
        driver = connections[alias].Database
        faults += [driver.OperationalError, driver.InterfaceError]
    return tuple(faults)


def is_connection_fault(exc: BaseException | None) -> bool:
    """Whether `exc`, or an exception it was raised from, is a lost or failing connection."""
    seen = set()
    faults = (OperationalError, InterfaceError, *_driver_faults())
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, faults):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _mark_fault(sender, request=None, **kwargs) -> None:
    """Django is turning an uncaught exception into a 500; note it if it was the database's.

    Called inside Django's `except` block, so sys.exc_info() is the exception itself."""
    if request is not None and is_connection_fault(sys.exc_info()[1]):
        setattr(request, _FAULT, True)


got_request_exception.connect(_mark_fault, dispatch_uid="ctpat.database_fault")


def unavailable_response() -> HttpResponse:
    """The 503 page. Rendered without the request: the layout's context processors (the
    navigation, the unread count) would query the database that just failed."""
    page = render_to_string("503.html", {"display_time_zone": settings.TIME_ZONE})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _close_broken_connections() -> None:
    # Outside any transaction here (ATOMIC_REQUESTS is off), so closing loses nothing; the
    # next query connects again (CONN_HEALTH_CHECKS checks reused connections too).
    for conn in connections.all(initialized_only=True):
        conn.close()


class DatabaseFaultMiddleware:
    """Placed above the session, CSRF and auth middleware so it sees their failures too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        attempts = 2 if request.method in SAFE_METHODS else 1
        for attempt in range(1, attempts + 1):
            setattr(request, _FAULT, False)
            response = self.get_response(request)
            if not getattr(request, _FAULT, False):
                return response
            _close_broken_connections()
            logger.warning(
                "database connection lost answering %s %s (attempt %d of %d)",
                request.method,
                request.path,
                attempt,
                attempts,
            )
            # The next attempt starts from a request the middleware below sets up afresh.
            for name in ("_cached_user", "_messages"):
                request.__dict__.pop(name, None)
        return unavailable_response()

    def process_exception(self, request, exception):
        """A view's database failure: answered here, so Django logs no 500 for it."""
        if is_connection_fault(exception):
            setattr(request, _FAULT, True)
            return unavailable_response()
        return None


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, but a session save that failed because the connection did is a database
    fault (a 503 above), not "the session was deleted by a concurrent request" (a bare 400)."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except SessionInterrupted as exc:
            if not is_connection_fault(exc):
                raise
            setattr(request, _FAULT, True)
            return response


class NoNulQueryMiddleware:
    """A NUL in the query string (?q=%00) is answered 400 before any view reads it.

    PostgreSQL refuses a NUL in a string, so one reaching a query is a ValueError (a 500)
    wherever a parameter is read without a form; no page has a use for one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequest(gettext("The address holds a character that is not allowed."))
        return self.get_response(request)


class NoStoreMiddleware:
    """What a signed-in person sees, and every download, is not kept by a browser or a
    proxy (Cache-Control: no-store): a shared computer's back button or disk cache would
    show it to the next person. Placed below the sign-in middleware, which sets
    request.user; static files never get here (WhiteNoise answers above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or response.has_header("Content-Disposition")) and "no-store" not in (
            response.get("Cache-Control", "")
        ):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
