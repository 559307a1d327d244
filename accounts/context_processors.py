from django.conf import settings

from .navigation import navigation_for


def navigation(request):
    """The navigation entries the signed-in person may use, which is current, the time zone."""
    user = getattr(request, "user", None)
    base = {"display_time_zone": settings.TIME_ZONE}
    if user is None or not user.is_authenticated:
        return base | {"nav_items": []}
    items = navigation_for(user)
    path = request.path
    # The longest matching prefix is current ("/" only matches the home page itself).
    current = max(
        (i for i in items if path == i.url or (i.url != "/" and path.startswith(i.url))),
        key=lambda i: len(i.url),
        default=None,
    )
    return base | {"nav_items": items, "nav_current": current}
