"""Named conditions on partners ("applications over 90 days", "documentation overdue"):
the registry through which the dashboard counts partners and the partner list shows them.

Each app registers the conditions it owns as "partner_conditions" contributions in its
AppConfig.ready(): a code, a label, a program and a function of today's date returning a Q on
Partner. The dashboard's figure and the list behind it
apply the same Q, so a number and its list cannot disagree; partners never imports the
apps that add conditions.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from .registry import registry


@dataclass(frozen=True)
class PartnerCondition:
    code: str
    label: str
    program: str  # the program it concerns ("" for none): the dashboard's program filter
    condition: Callable[[date], Q]


def conditions() -> dict[str, PartnerCondition]:
    return {c.code: c for c in registry["partner_conditions"]}


def condition(code: str) -> PartnerCondition | None:
    return conditions().get(code)
