"""The yearly benefits report: PDF by WeasyPrint (as validation reports) and CSV, both
from the report's stored snapshot, so the two always say the same."""

import csv
import io

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ctpat.charts import paired_bars
from ctpat.csv_preview import spreadsheet_safe

SERIES = [("members", "Members", "#1565c0"), ("baseline", "Non-member baseline", "#9e9e9e")]
CSV_HEADER = [
    "year",
    "section",
    "label",
    "metric",
    "unit",
    "members",
    "baseline",
    "times_better",
    "observations",
    "baseline_months",
    "too_small",
]


def comparison_chart(rows: list[dict], title: str) -> str:
    """Members against baseline for rows of Comparison.as_dict(); pair it with a table."""
    return paired_bars(
        [
            (
                f"{r['label']} ({r['metric_label'].lower()})" if r.get("benefit") else r["label"],
                {"members": r["members"], "baseline": r["baseline"]},
                "%" if r["unit"] == "%" else f" {r['unit']}",
            )
            for r in rows
        ],
        SERIES,
        title=title,
    )


def report_context(snapshot: dict) -> dict:
    return {
        "s": snapshot,
        # Built from the snapshot's numbers and escaped labels by ctpat.charts.
        "chart": mark_safe(  # noqa: S308
            comparison_chart(
                snapshot["benefits"], f"Members against non-members, {snapshot['year']}"
            )
        ),
    }


def render_report_html(snapshot: dict) -> str:
    return render_to_string("benefits/report.html", report_context(snapshot))


def render_report_pdf(snapshot: dict) -> bytes:
    from weasyprint import HTML  # lazy: a heavy import, and only the worker renders PDFs

    return HTML(string=render_report_html(snapshot)).write_pdf()


def render_report_csv(snapshot: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for section in ("benefits", "by_tier", "by_entity_type"):
        for r in snapshot[section]:
            writer.writerow(
                [
                    snapshot["year"],
                    section,
                    spreadsheet_safe(r["label"]),
                    r["metric"],
                    r["unit"],
                    "" if r["members"] is None else r["members"],
                    "" if r["baseline"] is None else r["baseline"],
                    "" if r["ratio"] is None else r["ratio"],
                    r["observations"],
                    r["baseline_periods"],
                    "yes" if r["too_small"] else "no",
                ]
            )
    return out.getvalue()
