"""A partner's benefits are derived from its enrollments and documentation, with reasons."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits import eligibility, selectors
from benefits.choices import Condition
from partners import services as partner_services
from partners.choices import Status
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    PartnerFactory,
    accepted_profile,
)

pytestmark = pytest.mark.django_db


def by_code(rows):
    return {row.benefit.code: row for row in rows}


def test_a_certified_partner_has_tier_1_benefits_and_is_told_it_needs_tier_2(supervisor):
    partner = PartnerFactory(field_office=supervisor.field_office, security={"certified": True})
    rows = by_code(selectors.benefits_for_partner(partner))
    assert rows["fewer-examinations"].applies
    assert rows["fewer-examinations"].reason == "Security Tier 1"
    assert not rows["further-exam-reductions"].applies
    assert rows["further-exam-reductions"].reason == "needs Tier 2 (now Tier 1)"
    assert rows["expedited-rulings"].reason == "needs Trade Compliance accepted"


def test_trade_compliance_benefits_follow_acceptance_and_documentation(validated_partner):
    EnrollmentFactory(partner=validated_partner, trade_accepted=True)
    rows = by_code(selectors.benefits_for_partner(validated_partner))
    assert rows["expedited-rulings"].applies
    assert not rows["wro-premises"].applies
    assert rows["wro-premises"].reason == "needs the forced-labor documentation accepted"


def test_an_applicant_has_no_benefits_and_each_says_why(supervisor):
    partner = PartnerFactory(field_office=supervisor.field_office)
    rows = selectors.benefits_for_partner(partner)
    assert rows and not any(row.applies for row in rows)
    assert by_code(rows)["fewer-examinations"].reason == (
        "needs Security Tier 1 or above; not certified in Security"
    )


def test_a_suspension_stops_the_benefits_from_its_date_and_the_history_keeps_them(supervisor):
    partner = PartnerFactory(field_office=supervisor.field_office)
    security = partner.enrollments.get()
    today = timezone.localdate()
    accepted_profile(partner, answers=False)
    partner_services.enrollment_start_review(enrollment=security, actor=supervisor, reason="ok")
    partner_services.enrollment_certify(
        enrollment=security, actor=supervisor, reason="ok", on=today - timedelta(days=90)
    )
    partner_services.enrollment_suspend(
        enrollment=security,
        actor=supervisor,
        reason="Seizure",
        cause="incident",
        letter_on=today - timedelta(days=10),
    )
    row = by_code(selectors.benefit_history(partner))["fewer-examinations"]
    assert not row.applies
    assert "Security is suspended" in row.reason
    assert [(p.start, p.end) for p in row.periods] == [
        (today - timedelta(days=90), today - timedelta(days=10))
    ]


def test_reinstatement_starts_a_new_period():
    day = date(2026, 1, 1)
    history = [
        (day, eligibility.standing_of(Status.VALIDATED, 2, "", False)),
        (day + timedelta(days=30), eligibility.standing_of(Status.SUSPENDED, 2, "", False)),
        (day + timedelta(days=60), eligibility.standing_of(Status.VALIDATED, 2, "", False)),
    ]
    periods = eligibility.benefit_periods(Condition.SECURITY_TIER_2, history)
    assert [(p.start, p.end) for p in periods] == [
        (day, day + timedelta(days=30)),
        (day + timedelta(days=60), None),
    ]
    assert eligibility.standing_on(history, day + timedelta(days=45)).tier is None


def test_the_partner_sees_why_each_benefit_applies_or_not(client, supervisor):
    partner = PartnerFactory(field_office=supervisor.field_office, security={"certified": True})
    officer = MembershipFactory(partner=partner, officer=True).user
    client.force_login(officer)
    html = client.get(reverse("benefits:partner", args=[partner.pk])).content.decode()
    assert "Fewer examinations" in html and "Because: Security Tier 1" in html
    assert "Needs Tier 2 (now Tier 1)" in html


def test_another_partners_benefits_page_is_not_found(client, validated_partner):
    outsider = MembershipFactory(partner=PartnerFactory()).user
    client.force_login(outsider)
    response = client.get(reverse("benefits:partner", args=[validated_partner.pk]))
    assert response.status_code == 404
    assert validated_partner.legal_name not in response.content.decode()


def test_standing_histories_read_the_current_attempt_only(supervisor, django_assert_num_queries):
    """A partner removed two years ago and applying again stands on its new application: the
    earlier attempt's certification gives no benefit period now."""
    partner = PartnerFactory(field_office=supervisor.field_office)
    first = partner.enrollments.get()
    first.status, first.tier, first.is_current = "removed", 1, False
    first.certified_on = date.today() - timedelta(days=900)
    first.save()
    first.events.create(move="certify", from_status="under_review", to_status="certified", tier=1)
    EnrollmentFactory(partner=partner, attempt=2, applied_on=date.today() - timedelta(days=10))

    with django_assert_num_queries(5) as captured:
        [history] = selectors.standing_histories([partner.pk]).values()
    [events_query] = [q["sql"] for q in captured.captured_queries if "enrollmentevent" in q["sql"]]
    assert "is_current" in events_query  # the earlier attempt's events are not even read
    assert all(standing.tier is None for _, standing in history)
    assert {standing.security_status for _, standing in history} <= {"", "applicant"}
    row = by_code(selectors.benefit_history(partner))["fewer-examinations"]
    assert row.periods == [] and not row.applies
