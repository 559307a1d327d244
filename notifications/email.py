"""Email with a plain-text and an HTML part, rendered from one pair of templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML from `<template>_subject.txt`, `.txt` and `.html`."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    return " ".join(subject.splitlines()), text, html


def send_rendered(*, to: list[str], subject: str, text: str, html: str) -> None:
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()
