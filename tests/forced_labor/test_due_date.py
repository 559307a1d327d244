"""The forced-labor due date (DOMAIN.md): partners accepted before 1 Aug 2022 owe it by
1 Aug 2023; others with their application, but never before the requirement existed:
`max(applied_on, 2022-08-01)`. The partner's page, the sweep and the dashboard filter agree."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from ctpat.deadlines import kinds
from ctpat.partner_filters import condition
from forced_labor import selectors
from partners.models import Partner

pytestmark = pytest.mark.django_db

EFFECTIVE = date(2022, 8, 1)


def _trade(tc, *, applied_on, accepted_on):
    trade = tc["partner"].enrollments.get(program="trade_compliance")
    trade.applied_on, trade.accepted_on = applied_on, accepted_on
    trade.status = "accepted" if accepted_on else "under_review"
    trade.save()
    return trade


def _everywhere(tc, today):
    """The due date on the partner's page, in the sweep, and whether the dashboard's
    "overdue" filter holds the partner."""
    partner = tc["partner"]
    kind = next(k for k in kinds() if k.code == "forced_labor")
    with time_machine.travel(datetime(today.year, today.month, today.day, 12, tzinfo=UTC)):
        page = selectors.documentation(partner).due_on
        swept = {i.due_on for i in kind.due_items(date(2100, 1, 1), partner_ids=[partner.pk])}
        overdue = condition("documentation_overdue").condition(today)
        filtered = Partner.objects.filter(overdue, pk=partner.pk).exists()
    return page, swept, filtered


def test_an_applicant_before_the_rule_accepted_after_it_owes_it_from_the_rules_date(tc):
    _trade(tc, applied_on=date(2022, 6, 15), accepted_on=date(2022, 9, 20))
    page, swept, _ = _everywhere(tc, date(2022, 7, 20))
    assert page == EFFECTIVE
    assert swept == {EFFECTIVE}


def test_an_applicant_before_the_rule_not_yet_accepted_is_not_overdue_before_it(tc):
    _trade(tc, applied_on=date(2022, 6, 15), accepted_on=None)
    page, swept, overdue = _everywhere(tc, date(2022, 7, 20))
    assert page == EFFECTIVE and swept == {EFFECTIVE}
    assert not overdue  # under the old rule it was overdue since June
    assert _everywhere(tc, date(2022, 8, 2))[2]


def test_the_sweep_does_not_name_it_before_the_rules_date(tc):
    _trade(tc, applied_on=date(2022, 6, 15), accepted_on=None)
    kind = next(k for k in kinds() if k.code == "forced_labor")
    before = EFFECTIVE - timedelta(days=1)
    assert not list(kind.due_items(before, partner_ids=[tc["partner"].pk]))
    assert list(kind.due_items(EFFECTIVE, partner_ids=[tc["partner"].pk]))


def test_a_later_applicant_owes_it_with_the_application(tc):
    _trade(tc, applied_on=date(2024, 3, 1), accepted_on=date(2024, 6, 1))
    page, swept, overdue = _everywhere(tc, date(2024, 4, 1))
    assert page == date(2024, 3, 1) and swept == {date(2024, 3, 1)}
    assert overdue


def test_a_partner_accepted_before_the_rule_still_owes_it_by_august_2023(tc):
    _trade(tc, applied_on=date(2021, 1, 10), accepted_on=date(2021, 5, 1))
    page, swept, overdue = _everywhere(tc, date(2023, 7, 1))
    assert page == date(2023, 8, 1) and swept == {date(2023, 8, 1)}
    assert not overdue
