"""PDF rendering of validation reports with WeasyPrint.

The layout is plain blocks (no page-spanning tables, no CSS framework): WeasyPrint lays
those out fastest, and the print stylesheet stays small.
"""

from collections import OrderedDict

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ctpat.charts import stacked_bars

SERIES = [
    ("meets", "Meets", "#2e7d32"),
    ("required_action", "Required action", "#c62828"),
    ("recommendation", "Recommendation", "#ef6c00"),
    ("best_practice", "Best practice", "#1565c0"),
    ("not_applicable", "Not applicable", "#9e9e9e"),
]


def report_context(snapshot: dict) -> dict:
    by_category: OrderedDict[str, dict[str, int]] = OrderedDict()
    grouped: OrderedDict[str, OrderedDict[str, list[dict]]] = OrderedDict()
    for finding in snapshot["findings"]:
        counts = by_category.setdefault(finding["category"], {})
        counts[finding["result"]] = counts.get(finding["result"], 0) + 1
        area = grouped.setdefault(finding["focus_area"], OrderedDict())
        area.setdefault(finding["category"], []).append(finding)
    totals = {key: 0 for key, _, _ in SERIES}
    for counts in by_category.values():
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    chart = stacked_bars(list(by_category.items()), SERIES, title="Findings by category and result")
    return {
        "s": snapshot,
        "marking": settings.REPORT_MARKING,
        # Built from the snapshot's numbers and escaped labels by ctpat.charts.
        "chart": mark_safe(chart),  # noqa: S308
        "series": SERIES,
        "by_category": by_category,
        "totals": totals,
        "grouped": grouped,
        "required": [f for f in snapshot["findings"] if f["result"] == "required_action"],
        "recommendations": [f for f in snapshot["findings"] if f["result"] == "recommendation"],
        "best_practices": [f for f in snapshot["findings"] if f["result"] == "best_practice"],
    }


def render_report_html(snapshot: dict) -> str:
    return render_to_string("validations/report.html", report_context(snapshot))


def render_report_pdf(snapshot: dict) -> bytes:
    from weasyprint import HTML  # lazy: a heavy import, and only the worker renders PDFs

    return HTML(string=render_report_html(snapshot)).write_pdf()
