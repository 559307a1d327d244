"""The annual review is "confirm or update each answer" of the accepted Security Profile,
due on the certification anniversary as before (partners.deadlines)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from ctpat.errors import DomainError
from partners.models import ProfileReview
from profiles import selectors, services
from tests.factories import EnrollmentFactory, MembershipFactory, PartnerFactory, accepted_profile

from .conftest import answers, sign

pytestmark = pytest.mark.django_db


def certified(days_ago):
    partner = PartnerFactory(security=False)
    enrollment = EnrollmentFactory(
        partner=partner,
        status="validated",
        tier=2,
        certified_on=date.today() - timedelta(days=days_ago),
        last_validated_on=date.today() - timedelta(days=30),
        applied_on=date.today() - timedelta(days=days_ago + 60),
    )
    accepted_profile(partner)
    return partner, enrollment, MembershipFactory(partner=partner, officer=True).user


def test_the_officer_confirms_or_updates_each_answer_and_the_cycle_is_recorded(client):
    partner, enrollment, officer = certified(days_ago=330)  # anniversary in 35 days
    due = enrollment.annual_due_on
    review = services.profile_start(actor=officer, partner=partner, annual=True)
    assert review.kind == "annual_review" and review.based_on.status == "accepted"
    rows = answers(review)
    with pytest.raises(DomainError, match=f"{len(rows)} are not confirmed"):
        sign(review, officer)
    changed = rows[0]
    for row in rows:
        data = {
            "implemented": row.implemented,
            "narrative": row.narrative,
            "owner": "New security manager" if row is changed else row.owner,
        }
        services.answer_save(actor=officer, answer=row, data=data)
    submitted = sign(review, officer)
    recorded = ProfileReview.objects.get()
    assert submitted.annual_review == recorded
    assert (recorded.due_on, recorded.submitted_by) == (due, officer)
    assert f"{len(rows)} answers confirmed, 1 of them updated" in recorded.statement
    enrollment.refresh_from_db()
    assert enrollment.annual_due_on == due.replace(year=due.year + 1)
    # CBP reviews only the updated answer; the diff against the accepted version shows it.
    assert selectors.undecided_count(selectors.answers_of(submitted)) == 1
    client.force_login(officer)
    page = client.get(reverse("profiles:diff", args=[submitted.pk])).content.decode()
    assert "New security manager" in page and changed.criterion_version.criterion.code in page


def test_the_annual_review_waits_for_its_window(client):
    partner, _, officer = certified(days_ago=100)  # anniversary in 265 days
    with pytest.raises(DomainError, match="can be submitted from"):
        services.profile_start(actor=officer, partner=partner, annual=True)
    client.force_login(officer)
    page = client.get(reverse("profiles:partner", args=[partner.pk])).content.decode()
    assert 'data-action="profile-annual-review"' not in page


def test_only_the_company_officer_starts_the_annual_review():
    partner, _, _ = certified(days_ago=330)
    admin = MembershipFactory(partner=partner, role="admin").user
    with pytest.raises(DomainError, match="Only the company officer"):
        services.profile_start(actor=admin, partner=partner, annual=True)


def test_the_annual_review_needs_an_accepted_profile():
    partner = PartnerFactory(security=False)
    EnrollmentFactory(
        partner=partner, certified=True, certified_on=date.today() - timedelta(days=330)
    )
    officer = MembershipFactory(partner=partner, officer=True).user
    with pytest.raises(DomainError, match="accepted profile; there is none yet"):
        services.profile_start(actor=officer, partner=partner, annual=True)
