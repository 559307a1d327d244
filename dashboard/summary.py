"""Computing the dashboard's figures (refresh) and reading them for a set of filters (read).

refresh() asks each app's selectors for its figures, grouped in the database by field
office, specialist and entity type, and stores them as one Snapshot; Celery beat runs it
every DASHBOARD_REFRESH_SECONDS, so the figures are at most about that old. read() sums the
stored figures for the filters in one query (two with the workload), whatever the number
of partners, findings or submissions behind them.
"""

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from benefits import selectors as benefits
from ctpat.histograms import median
from deadlines import selectors as deadlines
from forced_labor import selectors as forced_labor
from partners import selectors as partners
from validations import selectors as validations

from .models import Figure, Snapshot

SOURCES = [partners, validations, forced_labor, deadlines]
# Panels whose figures add up to a specialist's open work.
WORKLOAD = {
    ("validations", None): "Open validations",
    ("queue_age", None): "Forced-labor documents to review",
    ("actions", "to_decide"): "Action responses to decide",
    ("extensions", "pending"): "Extension requests",
}


def refresh(today=None) -> Snapshot:
    """Recompute every figure and keep only the newest snapshot."""
    today = today or timezone.localdate()
    started = time.perf_counter()
    # Rows that share every dimension (histogram days in one step) are added together.
    totals = Counter()
    for source in SOURCES:
        for row in source.dashboard_rows(today):
            key = (
                row["panel"],
                str(row["bucket"]),
                row.get("program", ""),
                row["dim_office"],
                row["dim_specialist"],
                row["dim_entity"] or "",
            )
            totals[key] += row["value"]
    extra = {
        "headline": benefits.effectiveness_headline(today).as_dict(),
        "proposals": benefits.proposals_by_status(),
        "agencies": [
            {"name": a["name"], "partners": a["partners"]}
            for a in benefits.agency_participation_counts(today)
        ],
    }
    with transaction.atomic():
        snapshot = Snapshot.objects.create(computed_at=timezone.now(), extra=extra)
        Figure.objects.bulk_create(
            [
                Figure(
                    snapshot=snapshot,
                    panel=panel,
                    bucket=bucket,
                    program=program,
                    field_office_id=office,
                    specialist_id=specialist,
                    entity_type=entity,
                    value=value,
                )
                for (panel, bucket, program, office, specialist, entity), value in totals.items()
            ],
            batch_size=5000,
        )
        snapshot.took_ms = round((time.perf_counter() - started) * 1000)
        snapshot.save(update_fields=["took_ms"])
        Snapshot.objects.filter(pk__lt=snapshot.pk).delete()
    return snapshot


def latest() -> Snapshot | None:
    return Snapshot.objects.order_by("-pk").first()


def current() -> Snapshot:
    """The newest snapshot; computed now if there is none, or if it is stale and no Celery
    beat keeps it fresh (the embedded setup without a broker)."""
    snapshot = latest()
    max_age = settings.DASHBOARD_MAX_AGE_SECONDS
    stale = snapshot is None or (timezone.now() - snapshot.computed_at).total_seconds() > max_age
    if snapshot is None or (stale and not settings.CELERY_BROKER_URL):
        snapshot = refresh()
    return snapshot


@dataclass
class Filters:
    program: str = ""
    entity_type: str = ""
    field_office_id: int | None = None
    specialist_id: int | None = None

    def q(self) -> Q:
        q = Q()
        if self.program:
            q &= Q(program__in=[self.program, ""])
        if self.entity_type:
            q &= Q(entity_type=self.entity_type)
        if self.field_office_id:
            q &= Q(field_office_id=self.field_office_id)
        if self.specialist_id:
            q &= Q(specialist_id=self.specialist_id)
        return q

    def partner_query(self) -> dict:
        """The same filters as partner-list parameters, for the links behind the numbers."""
        query = {
            "program": self.program,
            "entity_type": self.entity_type,
            "field_office": self.field_office_id or "",
            "specialist": self.specialist_id or "",
        }
        return {k: v for k, v in query.items() if v}


@dataclass
class Figures:
    snapshot: Snapshot
    counts: dict = field(default_factory=dict)  # {(panel, bucket): value}
    workload: dict = field(default_factory=dict)  # {specialist_id: {label: value}}

    def get(self, panel: str, bucket: str) -> int:
        return self.counts.get((panel, bucket), 0)

    def panel(self, panel: str) -> dict[str, int]:
        return {b: v for (p, b), v in self.counts.items() if p == panel}

    def histogram_median(self, panel: str) -> int | None:
        """The median of a histogram stored by day steps (ctpat.histograms)."""
        return median({int(b): v for b, v in self.panel(panel).items()})

    def histogram_max(self, panel: str) -> int | None:
        days = [int(b) for b, v in self.panel(panel).items() if v]
        return max(days) if days else None

    @property
    def computed_at(self) -> datetime:
        return self.snapshot.computed_at


def read(filters: Filters, scope: Q, snapshot: Snapshot | None = None) -> Figures:
    """The figures for these filters within the viewer's scope (a Q on field_office_id)."""
    snapshot = snapshot or current()
    rows = (
        Figure.objects.filter(snapshot=snapshot)
        .filter(scope, filters.q())
        .values_list("panel", "bucket")
        .annotate(total=Sum("value"))
        .order_by()
    )
    figures = Figures(snapshot, {(panel, bucket): total for panel, bucket, total in rows})
    work = Q()
    for panel, bucket in WORKLOAD:
        work |= Q(panel=panel, **({"bucket": bucket} if bucket else {}))
    per_specialist = (
        Figure.objects.filter(snapshot=snapshot, specialist_id__isnull=False)
        .filter(scope, filters.q(), work)
        .values_list("specialist_id", "panel", "bucket")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for specialist_id, panel, bucket, total in per_specialist:
        label = WORKLOAD.get((panel, bucket)) or WORKLOAD.get((panel, None))
        mine = figures.workload.setdefault(specialist_id, {})
        mine[label] = mine.get(label, 0) + total
    return figures
