"""Proposed benefits: proposed -> under review -> piloting -> adopted, or declined."""

import pytest
from django.urls import reverse

from benefits import services
from benefits.choices import ProposalMove, ProposalStatus
from benefits.models import Proposal, ProposalEvent
from ctpat.errors import DomainError
from tests.factories import MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db

DATA = {
    "title": "Green lanes for Tier 3",
    "sponsor_kind": "industry",
    "sponsor": "COAC",
    "program": "security",
    "rationale": "Faster release",
    "metric": "hours_to_release",
}


@pytest.fixture
def proposal(specialist):
    return services.proposal_create(actor=specialist, data=DATA)


def test_a_proposal_goes_through_review_and_pilot_to_adoption(proposal, supervisor):
    for move in (ProposalMove.REVIEW, ProposalMove.PILOT, ProposalMove.ADOPT):
        services.proposal_move(actor=supervisor, proposal=proposal, move=move, reason="ok")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    assert list(proposal.events.order_by("at", "pk").values_list("from_status", "to_status")) == [
        ("", "proposed"),
        ("proposed", "under_review"),
        ("under_review", "piloting"),
        ("piloting", "adopted"),
    ]


def test_a_forbidden_move_is_explained_and_changes_nothing(proposal, supervisor):
    with pytest.raises(DomainError, match="awaiting review cannot be adopted"):
        services.proposal_move(actor=supervisor, proposal=proposal, move=ProposalMove.ADOPT)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and proposal.events.count() == 1


def test_an_adopted_proposal_moves_no_more(proposal, supervisor):
    services.proposal_move(actor=supervisor, proposal=proposal, move=ProposalMove.REVIEW)
    services.proposal_move(actor=supervisor, proposal=proposal, move=ProposalMove.ADOPT)
    with pytest.raises(DomainError, match="adopted cannot be declined"):
        services.proposal_move(
            actor=supervisor, proposal=proposal, move=ProposalMove.DECLINE, reason="late"
        )


def test_declining_needs_a_reason_and_keeps_it(proposal, supervisor):
    with pytest.raises(DomainError, match="why"):
        services.proposal_move(actor=supervisor, proposal=proposal, move=ProposalMove.DECLINE)
    services.proposal_move(
        actor=supervisor, proposal=proposal, move=ProposalMove.DECLINE, reason="No metric"
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == ("declined", "No metric")


def test_only_supervisors_decide(proposal, specialist):
    with pytest.raises(DomainError, match="supervisor"):
        services.proposal_move(actor=specialist, proposal=proposal, move=ProposalMove.REVIEW)
    assert ProposalEvent.objects.count() == 1


def test_an_unknown_move_is_refused(proposal, supervisor):
    with pytest.raises(DomainError, match="no such decision"):
        services.proposal_move(actor=supervisor, proposal=proposal, move="approve")


def test_a_stale_decision_loses_the_race(proposal, supervisor):
    stale = Proposal.objects.get(pk=proposal.pk)
    services.proposal_move(actor=supervisor, proposal=proposal, move=ProposalMove.REVIEW)
    services.proposal_move(
        actor=supervisor, proposal=stale, move=ProposalMove.DECLINE, reason="Overlaps"
    )  # read fresh: declining from under review is allowed
    with pytest.raises(DomainError):
        services.proposal_move(actor=supervisor, proposal=stale, move=ProposalMove.REVIEW)


def test_partner_users_cannot_create_proposals(validated_partner):
    with pytest.raises(DomainError):
        services.proposal_create(actor=validated_partner.memberships.get().user, data=DATA)


def test_the_pages_refuse_specialists_a_decision(client, proposal, specialist):
    client.force_login(specialist)
    assert client.get(reverse("benefits:proposal", args=[proposal.pk])).status_code == 200
    url = reverse("benefits:proposal_move", args=[proposal.pk, "review"])
    assert client.post(url, {"reason": "x"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_a_supervisor_decides_and_comments_on_the_page(client, proposal, supervisor):
    client.force_login(supervisor)
    url = reverse("benefits:proposal", args=[proposal.pk])
    token = client.get(url).context["form"]["submission"].initial
    client.post(url, {"submission": token, "text": "Ask the carriers first"})
    client.post(url, {"submission": token, "text": "Ask the carriers first"})
    assert proposal.comments.count() == 1
    response = client.post(
        reverse("benefits:proposal_move", args=[proposal.pk, "adopt"]), {"reason": "x"}, follow=True
    )
    assert "awaiting review cannot be adopted" in response.content.decode()
    client.post(reverse("benefits:proposal_move", args=[proposal.pk, "decline"]), {"reason": ""})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_partner_users_cannot_see_proposals(client, proposal):
    client.force_login(MembershipFactory(partner=PartnerFactory()).user)
    assert client.get(reverse("benefits:proposals")).status_code == 403
    assert client.get(reverse("benefits:proposal", args=[proposal.pk])).status_code == 403


@pytest.mark.parametrize("count", [1, 15])
def test_the_list_query_count_does_not_grow(
    client, specialist, count, django_assert_max_num_queries
):
    for n in range(count):
        services.proposal_create(actor=specialist, data=DATA | {"title": f"Proposal {n}"})
    client.force_login(specialist)
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("benefits:proposals"))
    assert response.status_code == 200


def test_counts_per_status_for_the_dashboard(proposal, supervisor):
    from benefits.selectors import proposals_by_status

    services.proposal_move(actor=supervisor, proposal=proposal, move=ProposalMove.REVIEW)
    assert proposals_by_status() == {
        "proposed": 0,
        "under_review": 1,
        "piloting": 0,
        "adopted": 0,
        "declined": 0,
    }
