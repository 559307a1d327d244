"""The dashboard's panels: each number with its label and the list behind it.

The page, the CSV export of each panel and the PDF all come from `build()`, so they show
the same numbers. Links open the lists the numbers count: the partner list with a named
condition (ctpat.partner_filters) and the dashboard's filters, the validation list by
status, the required-action list, the review queue, consequences, benefits.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from ctpat.charts import stacked_bars
from ctpat.deadlines import consequence_actions
from ctpat.partner_filters import conditions
from partners.choices import Program, Status
from partners.models import status_label
from validations.choices import Status as ValidationStatus

from .summary import Figures, Filters


@dataclass
class Row:
    label: str
    value: object
    url: str = ""
    note: str = ""


@dataclass
class Panel:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    chart: str = ""  # server-rendered SVG, its numbers are the rows
    notes: list[str] = field(default_factory=list)
    program: str = ""  # hidden when the dashboard is filtered to the other program

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "notes": self.notes,
            "rows": [{"label": r.label, "value": r.value, "note": r.note} for r in self.rows],
        }


def _url(name: str, **query) -> str:
    query = {k: v for k, v in query.items() if v not in ("", None)}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _days(value) -> str:
    return "—" if value is None else f"{value} day{'s' if value != 1 else ''}"


def build(figures: Figures, filters: Filters, specialists: dict[int, str]) -> list[Panel]:
    partner_query = filters.partner_query()

    def partners_url(**query):
        return _url("partners:list", **{**partner_query, **query})

    named = conditions()

    def condition_row(code: str) -> Row:
        return Row(named[code].label, figures.get("condition", code), partners_url(condition=code))

    panels = []

    # Partners by program, status and tier.
    counts = figures.panel("partners")
    partners = Panel("partners", "Partners by program, status and tier")
    chart_rows = []
    for program, label in Program.choices:
        if filters.program and filters.program != program:
            continue
        by_status = {}
        for status in Status.values:
            for tier in ("", "1", "2", "3"):
                key = f"{status}:{tier}" if program == Program.SECURITY else status
                value = counts.get(key, 0) if program == Program.SECURITY or not tier else 0
                if not value:
                    continue
                by_status[status] = by_status.get(status, 0) + value
                partners.rows.append(
                    Row(
                        f"{label}: {status_label(status, int(tier) if tier else None)}",
                        value,
                        partners_url(program=program, status=status, tier=tier),
                    )
                )
        chart_rows.append((label, by_status))
    palette = [
        "#6c757d",
        "#0dcaf0",
        "#0d6efd",
        "#198754",
        "#20c997",
        "#ffc107",
        "#dc3545",
        "#6f42c1",
        "#adb5bd",
        "#343a40",
    ]
    series = [(s, lab, palette[i % len(palette)]) for i, (s, lab) in enumerate(Status.choices)]
    partners.chart = stacked_bars(chart_rows, series, title="Partners by program and status")
    panels.append(partners)

    # Applications awaiting certification, by age.
    ages = ["application_0_30", "application_30_60", "application_60_90", "application_90_plus"]
    applications = Panel(
        "applications",
        "Security applications awaiting certification, by age",
        program=Program.SECURITY,
    )
    applications.rows = [condition_row(code) for code in ages]
    colours = ["#198754", "#20c997", "#ffc107", "#dc3545"]
    applications.chart = stacked_bars(
        [("Open applications", {code: figures.get("condition", code) for code in ages})],
        [(code, named[code].label, colour) for code, colour in zip(ages, colours, strict=True)],
        title="Open applications by age; the statutory target is 90 days",
    )
    applications.notes.append("CBP decides on a Security application within 90 days.")
    panels.append(applications)

    # Validations.
    validations = Panel("validations", "Validations", program=Program.SECURITY)
    validations.rows = [
        condition_row(code)
        for code in (
            "validation_due",
            "validation_overdue",
            "revalidation_due",
            "revalidation_overdue",
        )
    ]
    in_progress = figures.panel("validations")
    for status, label in ValidationStatus.choices:
        if status in in_progress:
            name = (
                "Reports awaiting supervisor review"
                if status == ValidationStatus.SUPERVISOR_REVIEW
                else f"In progress: {label}"
            )
            validations.rows.append(
                Row(name, in_progress[status], _url("validations:list", status=status))
            )
    panels.append(validations)

    # Required actions.
    actions = Panel("actions", "Required actions", program=Program.SECURITY)
    actions.rows = [
        Row("Open", figures.get("actions", "open"), _url("validations:actions", state="open")),
        Row(
            "Overdue",
            figures.get("actions", "overdue"),
            _url("validations:actions", state="overdue"),
        ),
        Row(
            "Responses awaiting a CBP decision",
            figures.get("actions", "to_decide"),
            _url("validations:actions", state="to_decide"),
        ),
        Row(
            "Median days from report to closing",
            _days(figures.histogram_median("action_close_days")),
            _url("validations:actions", state="closed"),
        ),
    ]
    panels.append(actions)

    # Forced labor.
    labor = Panel(
        "forced_labor",
        "Forced-labor documentation (Trade Compliance)",
        program=Program.TRADE_COMPLIANCE,
    )
    labor.rows = [
        condition_row(code)
        for code in ("documentation_complete", "documentation_incomplete", "documentation_overdue")
    ]
    queue = sum(figures.panel("queue_age").values())
    queue_url = _url("forced_labor:queue", office=filters.field_office_id or "")
    labor.rows += [
        Row("Documents waiting in the review queue", queue, queue_url),
        Row("Oldest waiting", _days(figures.histogram_max("queue_age")), queue_url),
        Row(
            "Median wait of those in the queue",
            _days(figures.histogram_median("queue_age")),
            queue_url,
        ),
        Row(
            "Median days from submission to decision",
            _days(figures.histogram_median("decision_days")),
        ),
    ]
    panels.append(labor)

    # Yearly submissions and what awaits a decision.
    annual = Panel("annual", "Annual reviews, letters and decisions awaiting")
    annual.rows = [
        condition_row(code)
        for code in ("review_due", "review_overdue")
        if not filters.program or filters.program == Program.SECURITY
    ]
    annual.rows += [
        condition_row(code)
        for code in ("letter_due", "letter_overdue")
        if not filters.program or filters.program == Program.TRADE_COMPLIANCE
    ]
    for action in consequence_actions():
        annual.rows.append(
            Row(
                f"Proposed consequence: {action.label}",
                figures.get("consequences", action.code),
                _url("deadlines:consequences"),
            )
        )
    annual.rows.append(
        Row(
            "Extension requests awaiting a decision",
            figures.get("extensions", "pending"),
            _url("deadlines:extensions", status="pending"),
        )
    )
    panels.append(annual)

    # Benefits (program-wide).
    extra = figures.snapshot.extra or {}
    benefits = Panel("benefits", "Benefits")
    headline = extra.get("headline")
    if headline:
        members, baseline = headline.get("members"), headline.get("baseline")
        unit = headline.get("unit", "")
        value = (
            "no figures yet"
            if members is None or baseline is None
            else f"{members:.1f}{unit} members vs {baseline:.1f}{unit} non-members"
        )
        note = f"{headline.get('observations', 0):,} partner-months"
        if headline.get("ratio"):
            note += f"; {headline['ratio']}× better"
        if headline.get("too_small"):
            note += "; too few observations to claim an effect"
        benefits.rows.append(
            Row(
                headline.get("label", "Examination rate"),
                value,
                _url("benefits:effectiveness"),
                note,
            )
        )
    for status, count in (extra.get("proposals") or {}).items():
        benefits.rows.append(
            Row(
                f"Proposals: {status.replace('_', ' ')}",
                count,
                _url("benefits:proposals", status=status),
            )
        )
    for agency in extra.get("agencies") or []:
        benefits.rows.append(
            Row(
                f"Partners taking part with {agency['name']}",
                agency["partners"],
                _url("benefits:agencies"),
            )
        )
    benefits.notes.append("Program-wide: the field office and specialist filters do not apply.")
    panels.append(benefits)

    # Workload per specialist.
    workload = Panel("workload", "Open work per specialist")
    labels = sorted({label for mine in figures.workload.values() for label in mine})
    chart_rows = []
    for specialist_id, mine in sorted(
        figures.workload.items(), key=lambda item: -sum(item[1].values())
    ):
        name = specialists.get(specialist_id, f"Specialist {specialist_id}")
        detail = ", ".join(f"{mine[label]} {label.lower()}" for label in labels if mine.get(label))
        # The items are of several kinds (their lists are linked from the panels above):
        # the total is not one list's count, so it links nowhere.
        workload.rows.append(Row(name, sum(mine.values()), "", detail))
        chart_rows.append((name, mine))
    colours = ["#0d6efd", "#6f42c1", "#fd7e14", "#20c997"]
    workload.chart = (
        stacked_bars(
            chart_rows,
            [(label, label, colours[i % 4]) for i, label in enumerate(labels)],
            title="Open work per specialist",
        )
        if chart_rows
        else ""
    )
    panels.append(workload)

    if filters.program:
        panels = [p for p in panels if p.program in ("", filters.program)]
    return panels
