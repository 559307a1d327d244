"""Named conditions on partners ("applications over 90 days", "documentation overdue"):
the registry through which the dashboard counts partners and the partner list shows them.

Each app registers the conditions it owns in its own `partner_filters.py`, as a function
of today's date returning a Q on Partner. The dashboard's figure and the list behind it
apply the same Q, so a number and its list cannot disagree; partners never imports the
apps that add conditions.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class PartnerCondition:
    code: str
    label: str
    program: str  # the program it concerns ("" for none): the dashboard's program filter
    condition: Callable[[date], Q]


_registry: dict[str, PartnerCondition] = {}
_discovered = False


def register(code: str, label: str, program: str = ""):
    def decorator(condition):
        _registry[code] = PartnerCondition(code, label, program, condition)
        return condition

    return decorator


def conditions() -> dict[str, PartnerCondition]:
    global _discovered
    if not _discovered:
        autodiscover_modules("partner_filters")
        _discovered = True
    return dict(_registry)


def condition(code: str) -> PartnerCondition | None:
    return conditions().get(code)
