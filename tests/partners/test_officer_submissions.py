from datetime import date, timedelta

import pytest
from django.urls import reverse

from partners.models import NotificationLetter
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


def test_the_annual_review_opens_the_security_profile(client):
    """Since issue 16 the annual review is "confirm or update each answer" of the Security
    Profile (tests/profiles/test_annual_review.py); the partner page's link leads there."""
    partner = partner_certified(days_ago=330)  # anniversary in 35 days, window open
    client.force_login(MembershipFactory(partner=partner, officer=True).user)
    response = client.get(reverse("partners:profile_review", args=[partner.pk]))
    assert response.url == reverse("profiles:partner", args=[partner.pk])


def test_the_annual_review_link_of_another_partner_is_not_found(client):
    partner = partner_certified(days_ago=330)
    client.force_login(MembershipFactory(officer=True).user)
    assert client.get(reverse("partners:profile_review", args=[partner.pk])).status_code == 404


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
