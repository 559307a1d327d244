from datetime import timedelta

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ctpat.words import possessive

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


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.simple_tag
def filter_select(bound_field):
    """A filter bar's <select>, built directly from the field's choices.

    Django's widget templates render every option through the template engine, which
    costs several milliseconds on a page with a few long filters; lists render this
    on every request, so they use this instead. Errors show under the field.
    """
    current = bound_field.value()
    if isinstance(current, list | tuple):
        current = current[0] if current else ""
    current = "" if current is None else str(current)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) == current else "", label)
            for value, label in bound_field.field.choices
        ),
    )
    invalid = " is-invalid" if bound_field.errors else ""
    errors = format_html_join(
        "", '<div class="invalid-feedback">{}</div>', ((e,) for e in bound_field.errors)
    )
    return format_html(
        '<select class="form-select{}" name="{}" id="{}">{}</select>{}',
        invalid,
        bound_field.html_name,
        bound_field.auto_id,
        options,
        errors,
    )


@register.filter
def dictget(mapping, key):
    """mapping[key] in a template, or empty when absent."""
    return (mapping or {}).get(key, "")


@register.inclusion_tag("ctpat/error_summary.html")
def error_summary(*forms):
    """The error summary at the top of a form page: every error of the forms and formsets
    given, in page order, each linking to its field ("#id_legal_name"). Errors that belong to
    no field are listed without a link. Nothing when all are valid or unbound."""
    errors: list[dict] = []

    def add(form, prefix_label=""):
        if form is None or not form.is_bound:
            return
        if hasattr(form, "forms"):  # a formset
            for error in form.non_form_errors():
                errors.append({"message": error})
            for number, sub in enumerate(form.forms, start=1):
                add(sub, _("Row %(number)s") % {"number": number} if len(form.forms) > 1 else "")
            return
        for error in form.non_field_errors():
            errors.append({"message": error, "label": prefix_label})
        for field in form:
            if field.is_hidden:
                continue
            label = f"{prefix_label}, {field.label}" if prefix_label else field.label
            for error in field.errors:
                errors.append(
                    {
                        "message": error,
                        "label": label,
                        # A radio list has no single label target: its first choice.
                        "href": f"#{field.id_for_label or field.auto_id + '_0'}",
                    }
                )
        for name, field_errors in form.errors.items():
            if name != "__all__" and form[name].is_hidden:
                errors.extend({"message": e} for e in field_errors)

    for form in forms:
        add(form)
    return {"errors": errors}


@register.filter(name="possessive")
def possessive_filter(name) -> str:
    """{{ partner.legal_name|possessive }}: see ctpat.words.possessive."""
    return possessive(name)
