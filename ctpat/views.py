from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database and broker answer, 503 naming the part that does not; the
    worker and beat heartbeats and the outbox's oldest row are reported with their ages."""
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@login_not_required
def favicon(request):
    """Pages without the layout's icon link (the admin's) make browsers ask for /favicon.ico."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
