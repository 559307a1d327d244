import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app

logger = logging.getLogger(__name__)


def _database_status() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.5, timeout=2)
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database and broker answer, 503 naming the part that does not."""
    report, healthy = {}, True
    for name, check in (("database", _database_status), ("broker", _broker_status)):
        try:
            report[name] = check()
        except Exception as exc:  # any failure of a dependency is a "down", not a 500
            logger.warning("healthz: %s check failed: %s", name, exc)
            report[name] = "unavailable"
            healthy = False
    return JsonResponse(report, status=200 if healthy else 503)


@login_not_required
def favicon(request):
    """Pages without the layout's icon link (the admin's) make browsers ask for /favicon.ico."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
