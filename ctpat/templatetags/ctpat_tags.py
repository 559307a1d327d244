from datetime import timedelta

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, rounded up: "try again in 30 minutes"."""
    if not value:
        return 0
    return -(-int(value.total_seconds()) // 60)


@register.simple_tag
def deadline_badge(deadline):
    """ "in 12 days", "due today" or "3 days overdue", coloured by urgency."""
    days = deadline.days_left()
    if days < 0:
        text, tone = f"{-days} day{'s' if days != -1 else ''} overdue", "danger"
    elif days == 0:
        text, tone = "due today", "danger"
    else:
        text, tone = (
            f"in {days} day{'s' if days != 1 else ''}",
            "warning" if days <= 30 else "secondary",
        )
    return format_html('<span class="badge text-bg-{}">{}</span>', tone, text)


@register.simple_tag
def status_badge(enrollment):
    tone = {
        "certified": "success",
        "validated": "success",
        "accepted": "success",
        "suspended": "danger",
        "removed": "dark",
        "rejected": "dark",
        "withdrawn": "secondary",
    }.get(enrollment.status, "info")
    return format_html('<span class="badge text-bg-{}">{}</span>', tone, enrollment.status_label)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
