from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notification


def notification_list(request):
    notifications = selectors.notifications_of(request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page, "query": ""})


@require_POST
def notification_open(request, notification_id):
    """Mark one notification read and go where it points."""
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(notification.url or "notifications:list")


@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications:list")
