from django import template

register = template.Library()


@register.filter
def figure(value, unit: str) -> str:
    """ "1.8%", "26.5 hours", or a dash when there is nothing to show."""
    if value is None:
        return "—"
    return f"{value:g}%" if unit == "%" else f"{value:g} {unit}"
