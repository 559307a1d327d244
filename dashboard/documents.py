"""The dashboard as a PDF (WeasyPrint), from the snapshot stored with the request."""

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def render_html(snapshot: dict) -> str:
    charts = {key: mark_safe(svg) for key, svg in (snapshot.get("charts") or {}).items()}  # noqa: S308 - our own SVG
    return render_to_string(
        "dashboard/pdf_document.html",
        {
            **snapshot,
            "charts": charts,
            "computed_at": datetime.fromisoformat(snapshot["computed_at"]),
            "marking": settings.REPORT_MARKING,
        },
    )


def render_pdf(snapshot: dict) -> bytes:
    from weasyprint import HTML  # lazy: a heavy import, and only the worker renders PDFs

    return HTML(string=render_html(snapshot)).write_pdf()
