from datetime import date, timedelta
from decimal import Decimal

import pytest

from benefits import services
from benefits.models import Baseline
from benefits.selectors import add_months, last_months
from tests.factories import EnrollmentFactory, MembershipFactory, PartnerFactory, UserFactory


@pytest.fixture
def office_people():
    supervisor = UserFactory(supervisor=True, full_name="Sam Supervisor")
    specialist = UserFactory(specialist=True, field_office=supervisor.field_office)
    return {"supervisor": supervisor, "specialist": specialist}


@pytest.fixture
def supervisor(office_people):
    return office_people["supervisor"]


@pytest.fixture
def specialist(office_people):
    return office_people["specialist"]


@pytest.fixture
def validated_partner(supervisor):
    """A Tier 2 importer with its officer."""
    partner = PartnerFactory(
        field_office=supervisor.field_office, legal_name="Acme Test Imports", security=False
    )
    long_ago = date.today() - timedelta(days=900)
    EnrollmentFactory(
        partner=partner,
        validated=True,
        applied_on=long_ago,
        certified_on=long_ago + timedelta(days=60),
        last_validated_on=long_ago + timedelta(days=300),
    )
    MembershipFactory(partner=partner, officer=True)
    return partner


def figures(period: date, shipments=1000, examinations=20, holds=5, **more) -> dict:
    return {
        "period": period,
        "shipments": shipments,
        "examinations": examinations,
        "holds": holds,
        "hours_to_release": Decimal("12.5"),
        "source": "Test extract",
        **more,
    }


@pytest.fixture
def months():
    first, _ = last_months(12)
    return [add_months(first, n) for n in range(12)]


@pytest.fixture
def baselines(months, specialist):
    """Non-members examined 91 in 1,000 shipments every month."""
    return [
        Baseline.objects.create(
            recorded_by=specialist, entity_type="", **figures(m, 100_000, 9_100, 3_000)
        )
        for m in months
    ]


def record_months(partner, actor, months, **kwargs):
    for month in months:
        services.observation_record(actor=actor, partner=partner, data=figures(month, **kwargs))
