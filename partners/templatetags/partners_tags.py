from django import template
from django.utils.html import format_html

from partners.models import status_label

register = template.Library()


@register.simple_tag
def status_badge(status, tier=None):
    """A program status as a coloured badge: "Validated (Tier 2)" in green."""
    if not status:
        return ""
    tone = {
        "certified": "success",
        "validated": "success",
        "accepted": "success",
        "suspended": "danger",
        "removed": "dark",
        "rejected": "dark",
        "withdrawn": "secondary",
    }.get(status, "info")
    return format_html('<span class="badge text-bg-{}">{}</span>', tone, status_label(status, tier))
