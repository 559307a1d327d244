"""The registry of dated obligations.

Each app declares its kinds of deadline in its own `deadlines.py` and registers them
here. Pages, the dashboard and the deadline sweep all read the registry, so each date
is computed in exactly one place.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


class OwedBy:
    PARTNER = "partner"
    CBP = "cbp"


@dataclass(frozen=True)
class Deadline:
    """One obligation with its due date, as shown to people and swept for reminders."""

    kind: str
    label: str
    due_on: date
    owed_by: str
    opens_on: date | None = None  # before this, it cannot be met yet (a window)

    def days_left(self, today: date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    @property
    def is_open(self) -> bool:
        """Whether it can be met now (its window, if it has one, has opened)."""
        return self.opens_on is None or self.opens_on <= timezone.localdate()

    @property
    def is_overdue(self) -> bool:
        return self.days_left() < 0

    @property
    def owed_by_label(self) -> str:
        return "Partner" if self.owed_by == OwedBy.PARTNER else "CBP"


@dataclass(frozen=True)
class DueItem:
    """One open deadline as the sweep sees it, for every partner at once."""

    key: str  # stable for the obligation and its due date: "<kind>:<object id>:<due date>"
    partner_id: int
    due_on: date
    label: str
    url: str
    owed_by: str
    specialist_id: int | None  # who at CBP looks after the partner
    field_office_id: int
    partner_name: str = ""


@dataclass(frozen=True)
class DeadlineKind:
    code: str
    label: str
    owed_by: str
    # Deadlines of this kind for one partner, from objects its page already loaded.
    for_partner: Callable[..., Iterable[Deadline]]
    # Every open deadline of this kind due on or before `until`, for all partners, in one
    # set-based query (the sweep). None: the sweep does not cover this kind yet.
    due_items: Callable[[date], Iterable[DueItem]] | None = None


_registry: dict[str, DeadlineKind] = {}
_discovered = False


def register(kind: DeadlineKind) -> DeadlineKind:
    _registry[kind.code] = kind
    return kind


def kinds() -> list[DeadlineKind]:
    global _discovered
    if not _discovered:
        autodiscover_modules("deadlines")
        _discovered = True
    return list(_registry.values())


def deadlines_for_partner(partner, **loaded) -> list[Deadline]:
    """Every open deadline of a partner, soonest first.

    `loaded` passes objects the caller already fetched (enrollments, ...), so that
    computing deadlines adds no queries.
    """
    found = [d for kind in kinds() for d in kind.for_partner(partner, **loaded)]
    return sorted(found, key=lambda d: d.due_on)
