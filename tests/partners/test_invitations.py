import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from partners.models import Invitation, Membership
from tests.factories import MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_and_specialist(client):
    specialist = UserFactory(specialist=True)
    partner = PartnerFactory(field_office=specialist.field_office, legal_name="Invite Co.")
    client.force_login(specialist)
    return partner, specialist


def invite(client, partner, email="new.person@invite.example", role="company_officer"):
    return client.post(
        reverse("partners:invite", args=[partner.pk]),
        {"email": email, "role": role, "submission": str(uuid.uuid4())},
    )


def link_from(mail):
    return re.search(r"http://testserver(/partners/invitations/[^/\s]+/)", mail.body).group(1)


def test_an_invitation_email_has_a_text_and_html_part_and_a_single_use_link(
    client, partner_and_specialist, mailoutbox, django_capture_on_commit_callbacks
):
    partner, _ = partner_and_specialist
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, partner)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["new.person@invite.example"]
    assert "Invite Co." in mail.subject
    assert mail.alternatives[0][1] == "text/html"
    token = link_from(mail).split("/")[-2]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_digest  # only a digest is stored
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)


def test_accepting_creates_the_account_and_membership_then_the_link_is_spent(
    client, partner_and_specialist, mailoutbox, django_capture_on_commit_callbacks
):
    partner, _ = partner_and_specialist
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, partner)
    link = link_from(mailoutbox[0])
    client.logout()
    form = {
        "full_name": "Nia Person",
        "password1": "a-long-passphrase",
        "password2": "a-long-passphrase",
    }
    response = client.post(link, form)
    assert response.url == reverse("partners:detail", args=[partner.pk])
    user = User.objects.get(email="new.person@invite.example")
    assert user.role == "partner" and user.check_password("a-long-passphrase")
    assert Membership.objects.get(user=user).role == "company_officer"

    client.logout()
    reused = client.post(link, form)
    assert reused.status_code == 410
    assert "This invitation has already been used" in reused.content.decode()
    assert Membership.objects.count() == 1


def test_an_expired_link_is_refused(
    client, partner_and_specialist, mailoutbox, django_capture_on_commit_callbacks
):
    partner, _ = partner_and_specialist
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, partner)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    response = client.get(link_from(mailoutbox[0]))
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()


def test_a_made_up_link_is_refused(client):
    response = client.get(reverse("partners:invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert "This invitation link is not valid" in response.content.decode()


def test_a_weak_password_is_refused_and_no_account_is_made(
    client, partner_and_specialist, mailoutbox, django_capture_on_commit_callbacks
):
    partner, _ = partner_and_specialist
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, partner)
    client.logout()
    response = client.post(
        link_from(mailoutbox[0]), {"full_name": "N", "password1": "short", "password2": "short"}
    )
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="new.person@invite.example").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_consultant_with_an_account_adds_a_second_company(
    client, partner_and_specialist, mailoutbox, django_capture_on_commit_callbacks
):
    partner, _ = partner_and_specialist
    existing = MembershipFactory(role="consultant", user__email="consult@advisors.example")
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, partner, email="consult@advisors.example", role="consultant")
    client.force_login(existing.user)
    response = client.post(link_from(mailoutbox[0]))
    assert response.url == reverse("partners:detail", args=[partner.pk])
    assert set(existing.user.memberships.values_list("partner_id", flat=True)) == {
        existing.partner_id,
        partner.pk,
    }


def test_a_link_opened_by_someone_else_signed_in_is_refused(
    client, partner_and_specialist, mailoutbox, django_capture_on_commit_callbacks
):
    partner, _ = partner_and_specialist
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, partner)
    intruder = MembershipFactory().user
    client.force_login(intruder)
    response = client.post(link_from(mailoutbox[0]), follow=True)
    assert "This invitation is for new.person@invite.example" in response.content.decode()
    assert not Membership.objects.filter(partner=partner).exists()
    assert Invitation.objects.get().accepted_at is None


def test_cbp_addresses_and_existing_users_cannot_be_invited(client, partner_and_specialist):
    partner, specialist = partner_and_specialist
    html = invite(client, partner, email=specialist.email).content.decode()
    assert "belongs to a CBP account" in html
    member = MembershipFactory(partner=partner)
    html = invite(client, partner, email=member.user.email).content.decode()
    assert "is already a user of Invite Co." in html
    assert not Invitation.objects.exists()


def test_a_second_company_officer_cannot_be_invited(client, partner_and_specialist):
    partner, _ = partner_and_specialist
    MembershipFactory(partner=partner, officer=True)
    html = invite(client, partner).content.decode()
    assert "Invite Co. already has a company officer." in html


def test_a_second_invitation_while_one_is_waiting_is_refused(client, partner_and_specialist):
    partner, _ = partner_and_specialist
    invite(client, partner)
    html = invite(client, partner).content.decode()
    assert "An invitation to new.person@invite.example is already waiting" in html
    assert Invitation.objects.count() == 1


def test_removing_a_user_withdraws_the_invitations_still_waiting_for_them(
    client, partner_and_specialist, mailoutbox, django_capture_on_commit_callbacks
):
    partner, specialist = partner_and_specialist
    member = MembershipFactory(partner=partner, user__email="leaver@invite.example")
    Invitation.objects.create(
        partner=partner,
        email="leaver@invite.example",
        role="company_officer",
        token_digest="0" * 64,
        invited_by=specialist,
        expires_at=timezone.now() + timedelta(days=3),
    )
    url = reverse("partners:membership_remove", args=[partner.pk, member.pk])
    client.post(url, {"reason": "Left the company"})
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert Invitation.objects.get().revoked_at is not None


def test_staff_withdraw_a_waiting_invitation_and_its_link_stops_working(
    client, partner_and_specialist, mailoutbox, django_capture_on_commit_callbacks
):
    partner, _ = partner_and_specialist
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, partner)
    invitation = Invitation.objects.get()
    client.post(reverse("partners:invitation_revoke", args=[partner.pk, invitation.pk]))
    client.logout()
    response = client.get(link_from(mailoutbox[0]))
    assert response.status_code == 410
    assert "This invitation link is not valid" in response.content.decode()
