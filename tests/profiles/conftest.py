import pytest
from django.utils import timezone

from profiles import services
from tests.factories import MembershipFactory, PartnerFactory, UserFactory


@pytest.fixture
def partner(db):
    return PartnerFactory(legal_name="Profile Imports")


@pytest.fixture
def officer(partner):
    return MembershipFactory(partner=partner, officer=True).user


@pytest.fixture
def colleague(partner):
    return MembershipFactory(partner=partner, role="user").user


@pytest.fixture
def specialist(partner):
    return UserFactory(specialist=True, field_office=partner.field_office)


@pytest.fixture
def draft(partner, officer):
    return services.profile_start(actor=officer, partner=partner)


def answers(profile):
    """The profile's answers in criterion order, each holding the profile object."""
    rows = list(profile.answers.select_related("criterion_version__criterion"))
    for row in rows:
        row.profile = profile
    return rows


def fill(profile, actor, share=1.0, **data):
    rows = answers(profile)
    for row in rows[: int(len(rows) * share)]:
        services.answer_save(
            actor=actor,
            answer=row,
            data={"implemented": "yes", "narrative": "A written procedure.", **data},
        )


def sign(profile, actor, **over):
    return services.profile_submit(
        actor=actor,
        profile=profile,
        **{
            "signed_name": "Pat Officer",
            "signed_title": "President",
            "signed_on": timezone.localdate(),
            "agreement_version": "2020-03",
            **over,
        },
    )
