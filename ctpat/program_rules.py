"""The program's rules (day counts, dates), read from the ProgramRule table: one accessor.

`rule(name, on)` returns the value in force on `on` (today by default): the row of that name
with the latest `effective_from` on or before `on`, typed by its unit (an int for days,
months and counts, a `date`, or a tuple of days largest first). A name with no row is a
mistake in the code and raises UnknownRule; so does a day before the rule's first row.

A changed count applies from its effective date; a decision already made keeps the rule it
was made under. Decisions store their outcome, so a later row does not move them: required
actions store `due_on`, document requests `due_on`, extensions `granted_until`, invitations
`expires_at`, enrollments `annual_due_on`. A deadline that is computed rather than stored
uses the rule in force on the date its caller passes:

- writes (approving a validation, planning one, inviting a user, asking for or granting an
  extension) pass nothing: the rule in force on the day the decision is made;
- the sweep passes the day it runs as of (`run_sweep(today=...)`), for the reminder offsets
  and the escalation days, so a sweep run for a given day behaves as on that day;
- computed deadlines (partners/deadlines.py, the partner filters, forced labor's dates,
  eligibility, benefits' sample sizes) pass nothing: an open deadline is worked out with the
  rule in force today, so a changed count reaches every deadline not yet met from its
  effective date on, and the set-based queries agree with the per-partner functions.

Administrators add rows in the Django admin (ctpat/admin.py); a row already in force is not
edited there. Every row is read in one query into a per-process cache: saving or deleting a
row clears it at once in this process, and other processes (web workers, Celery) read the
table again after CACHE_SECONDS, far less than the day an effective date is counted in.
"""

import time
from bisect import bisect_right
from datetime import date

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import ProgramRule

CACHE_SECONDS = 60

RuleValue = int | date | tuple[int, ...]


class UnknownRule(LookupError):
    """A rule the table does not hold (a typo in the code, or a table not seeded)."""


# name -> (effective dates ascending, values in the same order); with the time it was read.
_rows: dict[str, tuple[list[date], list[RuleValue]]] | None = None
_read_at = 0.0


def _table() -> dict[str, tuple[list[date], list[RuleValue]]]:
    global _rows, _read_at
    if _rows is None or time.monotonic() - _read_at > CACHE_SECONDS:
        rows: dict[str, tuple[list[date], list[RuleValue]]] = {}
        for row in ProgramRule.objects.order_by("name", "effective_from"):
            dates, values = rows.setdefault(row.name, ([], []))
            dates.append(row.effective_from)
            values.append(row.typed_value)
        _rows, _read_at = rows, time.monotonic()
    return _rows


def rule(name: str, on: date | None = None) -> RuleValue:
    """The value of rule `name` in force on `on` (today by default)."""
    table = _table()
    if name not in table:
        raise UnknownRule(
            f"No program rule is named {name!r}; the rules are: {', '.join(sorted(table))}."
        )
    on = on or timezone.localdate()
    dates, values = table[name]
    index = bisect_right(dates, on)
    if index == 0:
        raise UnknownRule(f"The program rule {name!r} has no value in force on {on:%Y-%m-%d}.")
    return values[index - 1]


def rule_int(name: str, on: date | None = None) -> int:
    """`rule()` of a rule counted in days, months or a number."""
    value = rule(name, on)
    if not isinstance(value, int):
        raise TypeError(f"The program rule {name!r} is not a number.")
    return value


def rule_date(name: str, on: date | None = None) -> date:
    """`rule()` of a rule that is a date."""
    value = rule(name, on)
    if not isinstance(value, date):
        raise TypeError(f"The program rule {name!r} is not a date.")
    return value


def rule_days(name: str, on: date | None = None) -> tuple[int, ...]:
    """`rule()` of a rule that is a list of days (largest first)."""
    value = rule(name, on)
    if not isinstance(value, tuple):
        raise TypeError(f"The program rule {name!r} is not a list of days.")
    return value


def forget() -> None:
    """Read the table again on the next call (after a row is saved or deleted)."""
    global _rows
    _rows = None


@receiver(post_save, sender=ProgramRule)
@receiver(post_delete, sender=ProgramRule)
def _changed(**kwargs) -> None:
    forget()
