"""Each kind of deadline computes its dates twice: in Python for a partner's page
(`for_partner`) and with one set-based query for the sweep (`due_items`). Both must name the
same obligations with the same dates, for every kind any app registers, at several dates."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from ctpat.deadlines import OwedBy, kinds
from partners.models import Partner

pytestmark = pytest.mark.django_db


def _page(kind, partner):
    return {
        (d.key, d.due_on, d.owed_by)
        for d in kind.for_partner(partner, enrollments=list(partner.enrollments.all()))
    }


def _sweep(kind, partner, until):
    return {(i.key, i.due_on, i.owed_by) for i in kind.due_items(until, partner_ids=[partner.pk])}


@pytest.mark.parametrize("years_on", [0, 1, 5])
def test_the_page_and_the_sweep_agree_for_every_kind(years_on):
    call_command("load_demo", verbosity=0)
    today = date.today() + timedelta(days=365 * years_on)
    far = today + timedelta(days=365 * 20)  # every open obligation is due before this
    with time_machine.travel(datetime(today.year, today.month, today.day, 12, tzinfo=UTC)):
        checked = 0
        for partner in Partner.objects.all():
            for kind in kinds():
                page = _page(kind, partner)
                assert page == _sweep(kind, partner, far), (kind.code, partner.legal_name)
                assert all(key.startswith(f"{kind.code}:") for key, _, _ in page), kind.code
                assert all(owed == kind.owed_by for _, _, owed in page), kind.code
                checked += len(page)
    assert checked > 10, "the demo data should have open deadlines of many kinds"


def test_every_kind_names_its_program_and_owner():
    for kind in kinds():
        assert kind.owed_by in (OwedBy.PARTNER, OwedBy.CBP)
        assert kind.due_items is not None, f"{kind.code} is not swept"
    codes = [kind.code for kind in kinds()]
    assert len(codes) == len(set(codes))
