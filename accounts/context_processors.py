from django.conf import settings

from .navigation import navigation_for


def navigation(request):
    """The navigation entries the signed-in person may use, which is current, the time zone."""
    user = getattr(request, "user", None)
    base = {"display_time_zone": settings.TIME_ZONE}
    if user is None or not user.is_authenticated:
        return base | {"nav_items": []}
    if getattr(request, "second_factor_step", None):
        # Signed in, but the second step is still to pass: every section would send them back.
        return base | {"nav_items": [], "second_factor_pending": True}
    items = navigation_for(user)
    path = request.path
    # The longest matching prefix is current ("/" only matches the home page itself).
    current = max(
        (i for i in items if path == i.url or (i.url != "/" and path.startswith(i.url))),
        key=lambda i: len(i.url),
        default=None,
    )
    return base | {"nav_items": items, "nav_current": current}
