"""Effectiveness: members against the baseline, with the sample behind each figure."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from benefits import selectors
from benefits.selectors import last_months
from tests.benefits.conftest import record_months
from tests.factories import EnrollmentFactory, MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def tier2_partners(office, count):
    """Importers validated at Tier 2 well before the months measured."""
    long_ago = date.today() - timedelta(days=900)
    partners = []
    for _ in range(count):
        partner = PartnerFactory(field_office=office, security=False)
        EnrollmentFactory(
            partner=partner,
            validated=True,
            applied_on=long_ago,
            certified_on=long_ago + timedelta(days=60),
            last_validated_on=long_ago + timedelta(days=300),
        )
        partners.append(partner)
    return partners


def rows_by_code(rows):
    return {r.benefit.code: r for r in rows}


def test_members_against_the_baseline_with_the_ratio_and_the_sample(
    supervisor, specialist, months, baselines
):
    for partner in tier2_partners(supervisor.field_office, 3):
        record_months(partner, specialist, months, shipments=1000, examinations=18)
    rows = rows_by_code(selectors.effectiveness(months[0], months[-1]))
    exams = rows["further-exam-reductions"]
    assert (exams.members, exams.baseline) == (1.8, 9.1)
    assert exams.ratio == 5.1 and exams.better
    assert (exams.observations, exams.baseline_periods) == (36, 12)
    assert not exams.too_small
    tier3 = rows["stratified-exam-exemption"]
    assert tier3.observations == 0 and tier3.too_small


def test_too_few_observations_claim_no_effect(supervisor, specialist, months, baselines):
    (partner,) = tier2_partners(supervisor.field_office, 1)
    record_months(partner, specialist, months[:3])
    row = rows_by_code(selectors.effectiveness(months[0], months[-1]))["further-exam-reductions"]
    assert row.observations == 3 and row.too_small


def test_no_baseline_claims_no_effect(supervisor, specialist, months):
    for partner in tier2_partners(supervisor.field_office, 3):
        record_months(partner, specialist, months)
    row = rows_by_code(selectors.effectiveness(months[0], months[-1]))["further-exam-reductions"]
    assert row.baseline is None and row.too_small


def test_by_tier_and_entity_type(supervisor, specialist, months, baselines):
    for partner in tier2_partners(supervisor.field_office, 3):
        record_months(partner, specialist, months)
    by_tier = selectors.effectiveness_by(months[0], months[-1], by="tier")
    assert [(r.label, r.members, r.observations) for r in by_tier] == [("Tier 2", 2.0, 36)]
    by_type = selectors.effectiveness_by(months[0], months[-1], by="entity_type")
    assert [r.label for r in by_type] == ["Importer (U.S.)"]
    assert selectors.effectiveness(months[0], months[-1], tier=3)[0].observations == 0


def test_the_headline_is_the_examination_rate_of_the_last_12_months(
    supervisor, specialist, months, baselines
):
    assert (months[0], months[-1]) == last_months(12)
    for partner in tier2_partners(supervisor.field_office, 3):
        record_months(partner, specialist, months)
    headline = selectors.effectiveness_headline()
    assert (headline.members, headline.baseline, headline.observations) == (2.0, 9.1, 36)
    assert headline.ratio == 4.5 and not headline.too_small


def test_a_suspended_month_counts_as_a_non_member_month(supervisor, specialist, months, baselines):
    (partner,) = tier2_partners(supervisor.field_office, 1)
    partner.enrollments.update(
        status="suspended",
        status_before_suspension="validated",
        suspended_on=date.today() - timedelta(days=70),
    )
    record_months(partner, specialist, months[-1:])
    assert partner.benefit_observations.get().tier is None


@pytest.mark.parametrize("count", [2, 12])
def test_the_effectiveness_page_query_count_does_not_grow(
    client, supervisor, specialist, months, baselines, count, django_assert_max_num_queries
):
    for partner in tier2_partners(supervisor.field_office, count):
        record_months(partner, specialist, months[-2:])
    client.force_login(supervisor)
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    with django_assert_max_num_queries(17):
        response = client.get(reverse("benefits:effectiveness"))
    assert response.status_code == 200
    assert 'data-testid="effectiveness"' in response.content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_the_selectors_query_counts_are_fixed(
    supervisor, specialist, months, baselines, count, django_assert_max_num_queries
):
    for partner in tier2_partners(supervisor.field_office, count):
        record_months(partner, specialist, months[-2:])
    with django_assert_max_num_queries(3):
        selectors.effectiveness(months[0], months[-1])
    with django_assert_max_num_queries(2):
        selectors.effectiveness_headline()
    with django_assert_max_num_queries(1):
        selectors.proposals_by_status()
    with django_assert_max_num_queries(1):
        selectors.agency_participation_counts()


@pytest.mark.parametrize("count", [1, 12])
def test_the_partner_page_query_count_does_not_grow_with_months(
    client, validated_partner, specialist, months, baselines, count, django_assert_max_num_queries
):
    record_months(validated_partner, specialist, months[:count])
    client.force_login(validated_partner.memberships.get().user)
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    with django_assert_max_num_queries(18):
        response = client.get(reverse("benefits:partner", args=[validated_partner.pk]))
    assert response.status_code == 200


def test_a_partner_sees_its_own_figures_against_the_baseline(
    client, validated_partner, specialist, months, baselines
):
    record_months(validated_partner, specialist, months, shipments=1000, examinations=18)
    client.force_login(validated_partner.memberships.get().user)
    response = client.get(reverse("benefits:partner", args=[validated_partner.pk]))
    exam = response.context["figures"][0]
    assert (exam.members, exam.baseline, exam.observations) == (1.8, 9.1, 12)
    assert "1.8%" in response.content.decode() and "9.1%" in response.content.decode()


def test_partner_users_cannot_see_everyones_effectiveness(client, validated_partner):
    client.force_login(MembershipFactory(partner=validated_partner).user)
    assert client.get(reverse("benefits:effectiveness")).status_code == 403
