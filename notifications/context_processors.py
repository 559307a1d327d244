from .models import Notification


def unread_count(request):
    """The unread count in the navigation: one indexed count per page. Done notifications
    (their subject decided) are not counted."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": Notification.objects.filter(recipient=user).unread().count()}
