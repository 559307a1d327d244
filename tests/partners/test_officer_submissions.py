from datetime import date, timedelta

import pytest
from django.urls import reverse

from partners.models import NotificationLetter, ProfileReview
from tests.factories import EnrollmentFactory, MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def partner_certified(days_ago):
    partner = PartnerFactory(security=False)
    EnrollmentFactory(
        partner=partner,
        status="validated",
        tier=2,
        certified_on=date.today() - timedelta(days=days_ago),
        last_validated_on=date.today() - timedelta(days=30),
        applied_on=date.today() - timedelta(days=days_ago + 60),
    )
    return partner


def test_the_company_officer_submits_the_annual_review_inside_its_window(client):
    partner = partner_certified(days_ago=330)  # anniversary in 35 days, window open
    officer = MembershipFactory(partner=partner, officer=True).user
    client.force_login(officer)
    url = reverse("partners:profile_review", args=[partner.pk])
    due = client.get(url).context["form"].initial["due_on"]
    assert due == date.today() + timedelta(days=35)
    response = client.post(url, {"due_on": due, "statement": "Added a warehouse in Erie."})
    assert response.url == reverse("partners:detail", args=[partner.pk])
    review = ProfileReview.objects.get()
    assert (review.submitted_by, review.due_on) == (officer, due)


def test_a_double_submit_of_the_review_is_refused(client):
    partner = partner_certified(days_ago=330)
    officer = MembershipFactory(partner=partner, officer=True).user
    client.force_login(officer)
    url = reverse("partners:profile_review", args=[partner.pk])
    due = date.today() + timedelta(days=35)
    client.post(url, {"due_on": due, "statement": "First"})
    again = client.post(url, {"due_on": due, "statement": "Second"})
    assert "was already submitted by" in again.content.decode()
    assert ProfileReview.objects.count() == 1


def test_the_review_cannot_be_submitted_before_its_window(client):
    partner = partner_certified(days_ago=100)  # anniversary in 265 days
    client.force_login(MembershipFactory(partner=partner, officer=True).user)
    url = reverse("partners:profile_review", args=[partner.pk])
    due = date.today() + timedelta(days=265)
    response = client.post(url, {"due_on": due, "statement": "Too early"})
    assert "can be submitted from" in response.content.decode()
    assert not ProfileReview.objects.exists()


def test_only_the_company_officer_submits(client):
    partner = partner_certified(days_ago=330)
    client.force_login(MembershipFactory(partner=partner, role="admin").user)
    url = reverse("partners:profile_review", args=[partner.pk])
    due = date.today() + timedelta(days=35)
    response = client.post(url, {"due_on": due, "statement": "Not mine to send"})
    assert "Only the company officer of" in response.content.decode()
    assert not ProfileReview.objects.exists()


def test_the_officer_submits_the_annual_notification_letter(client):
    partner = partner_certified(days_ago=330)
    EnrollmentFactory(partner=partner, trade_accepted=True)  # accepted 320 days ago
    officer = MembershipFactory(partner=partner, officer=True).user
    client.force_login(officer)
    url = reverse("partners:notification_letter", args=[partner.pk])
    due = client.get(url).context["form"].initial["due_on"]
    unconfirmed = client.post(url, {"due_on": due})
    assert "This field is required" in unconfirmed.content.decode()
    client.post(url, {"due_on": due, "confirm": "on"})
    letter = NotificationLetter.objects.get()
    assert letter.submitted_by == officer and letter.due_on == due


def test_a_cbp_specialist_cannot_submit_for_the_partner(client):
    from tests.factories import UserFactory

    partner = partner_certified(days_ago=330)
    client.force_login(UserFactory(specialist=True, field_office=partner.field_office))
    assert client.get(reverse("partners:profile_review", args=[partner.pk])).status_code == 403
