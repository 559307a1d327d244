"""A partner walked through its deadlines on a frozen clock: reminders, an extension asked
for and granted, overdue, escalation; and the consequences a supervisor decides on."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from ctpat.deadlines import deadlines_for_partner
from deadlines.models import Consequence, ExtensionRequest, SentNotice
from deadlines.sweep import run_sweep
from notifications.models import Notification
from tests.factories import EnrollmentFactory, MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

CERTIFIED = date(2025, 3, 10)
SUSPEND_TC = "suspend_trade_compliance"
REVIEW_DUE = date(2026, 3, 10)  # the first certification anniversary


def at(day: date):
    """Freeze the clock at noon of `day` (UTC): every service and page sees that date."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


@pytest.fixture
def world():
    specialist = UserFactory(specialist=True)
    office = specialist.field_office
    supervisor = UserFactory(supervisor=True, field_office=office)
    with at(CERTIFIED):
        partner = PartnerFactory(field_office=office, specialist=specialist, security=False)
        enrollment = EnrollmentFactory(
            partner=partner,
            status="certified",
            tier=1,
            applied_on=date(2024, 12, 1),
            certified_on=CERTIFIED,
        )
    officer = MembershipFactory(partner=partner, officer=True).user
    return {
        "partner": partner,
        "enrollment": enrollment,
        "officer": officer,
        "specialist": specialist,
        "supervisor": supervisor,
    }


def sent(key_prefix="profile_review"):
    return sorted(
        (notice, user)
        for notice, user in SentNotice.objects.filter(key__startswith=key_prefix).values_list(
            "notice", "recipient_id"
        )
    )


def sweep(day: date):
    with at(day):
        return run_sweep()


def test_reminders_an_extension_granted_then_overdue_and_escalation(client, world):
    officer, specialist = world["officer"].pk, world["specialist"].pk
    supervisor = world["supervisor"].pk

    sweep(REVIEW_DUE - timedelta(days=40))
    assert sent() == []
    sweep(REVIEW_DUE - timedelta(days=30))
    assert sent() == [("reminder_30", officer)]
    sweep(REVIEW_DUE - timedelta(days=7))
    sweep(REVIEW_DUE - timedelta(days=7))  # the same day again: nothing new
    assert sent() == [("reminder_30", officer), ("reminder_7", officer)]

    # Five days before, the officer asks for 30 more days from the partner page.
    with at(REVIEW_DUE - timedelta(days=5)):
        client.force_login(world["officer"])
        page = client.get(f"/partners/{world['partner'].pk}/")
        key = next(d.key for d in page.context["page"].deadlines if d.kind == "profile_review")
        assert "Ask for more time" in page.text
        form = client.get(
            f"/deadlines/partners/{world['partner'].pk}/extensions/new/", {"key": key}
        )
        token = form.context["form"]["submission"].value()
        response = client.post(
            f"/deadlines/partners/{world['partner'].pk}/extensions/new/",
            {
                "key": key,
                "submission": token,
                "requested_until": "2026-04-09",
                "reason": "Our security manager is on leave until April.",
            },
        )
        assert response.status_code == 302
    request = ExtensionRequest.objects.get()
    assert request.status == "pending" and request.due_on == REVIEW_DUE
    assert Notification.objects.filter(recipient_id=specialist, title__startswith="Extension asked")

    # The specialist grants it the next day.
    with at(REVIEW_DUE - timedelta(days=4)):
        client.force_login(world["specialist"])
        response = client.post(
            f"/deadlines/extensions/{request.pk}/",
            {"decision": "grant", "until": "2026-04-09", "note": "Agreed."},
        )
        assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "granted" and request.decided_by_id == specialist
    assert Notification.objects.filter(recipient_id=officer, title__startswith="Extension granted")

    # The old date passes without a word; the new one has its own series of reminders.
    new_due = date(2026, 4, 9)
    sweep(REVIEW_DUE - timedelta(days=1))  # 31 days before the new date
    assert sent() == [("reminder_30", officer), ("reminder_7", officer)]
    sweep(REVIEW_DUE + timedelta(days=1))  # 29 days before it
    assert sent() == [("reminder_30", officer), ("reminder_30", officer), ("reminder_7", officer)]
    with at(REVIEW_DUE):
        [deadline] = [
            d
            for d in deadlines_for_partner(world["partner"], enrollments=[world["enrollment"]])
            if d.kind == "profile_review"
        ]
        assert deadline.due_on == new_due and deadline.extended_from == REVIEW_DUE
    sweep(new_due - timedelta(days=1))
    assert ("reminder_1", officer) in sent()

    # Overdue: the officer and the assigned specialist hear; after the grace, the supervisor.
    sweep(new_due + timedelta(days=1))
    assert {("overdue", officer), ("overdue", specialist)} <= set(sent())
    assert ("escalation", supervisor) not in sent()
    sweep(new_due + timedelta(days=15))
    assert ("escalation", supervisor) in sent()
    before = SentNotice.objects.count()
    sweep(new_due + timedelta(days=16))
    assert SentNotice.objects.count() == before  # nothing is ever sent twice

    # The partner page shows the extended date, and the timeline the request and decision.
    with at(new_due + timedelta(days=16)):
        client.force_login(world["officer"])
        page = client.get(f"/partners/{world['partner'].pk}/")
        assert "extended from" in page.text
        timeline = client.get(f"/partners/{world['partner'].pk}/timeline/").text
        assert "Extension asked" in timeline and "Extension granted" in timeline


def test_a_broker_down_for_weeks_is_caught_up_by_the_next_sweep_once(world):
    """No sweep ran from 40 days before until 6 days before (the broker was down): the next
    one sends the 7-day reminder only, never the 30-day one late, and no duplicates."""
    sweep(REVIEW_DUE - timedelta(days=40))
    sweep(REVIEW_DUE - timedelta(days=6))
    sweep(REVIEW_DUE - timedelta(days=6))
    assert sent() == [("reminder_7", world["officer"].pk)]


def test_a_withdrawn_partner_gets_nothing(world):
    world["enrollment"].status = "withdrawn"
    world["enrollment"].save()
    sweep(REVIEW_DUE + timedelta(days=30))
    assert sent() == []


def test_a_denial_needs_a_reason_and_keeps_the_date(client, world):
    with at(REVIEW_DUE - timedelta(days=10)):
        request = ExtensionRequest.objects.create(
            partner=world["partner"],
            key=f"profile_review:{world['enrollment'].pk}:2026-03-10",
            deadline_label="Annual security profile review",
            due_on=REVIEW_DUE,
            requested_until=date(2026, 5, 1),
            reason="Busy.",
            requested_by=world["officer"],
        )
        client.force_login(world["specialist"])
        page = client.post(f"/deadlines/extensions/{request.pk}/", {"decision": "deny", "note": ""})
        request.refresh_from_db()
        assert request.status == "pending"
        # The form comes back with the choice made and the message beside the note.
        assert page.status_code == 200 and page.context["form"]["decision"].value() == "deny"
        assert "Give the reason for the denial" in str(page.context["form"]["note"].errors)
        client.post(
            f"/deadlines/extensions/{request.pk}/",
            {"decision": "deny", "note": "The review is short; please submit it."},
        )
        request.refresh_from_db()
        assert request.status == "denied"
        # A second decision on the same request changes nothing.
        response = client.post(
            f"/deadlines/extensions/{request.pk}/",
            {"decision": "grant", "until": "2026-05-01"},
            follow=True,
        )
        request.refresh_from_db()
        assert request.status == "denied" and "already denied" in response.text
        deadline = next(
            d
            for d in deadlines_for_partner(world["partner"], enrollments=[world["enrollment"]])
            if d.kind == "profile_review"
        )
        assert deadline.due_on == REVIEW_DUE


def _ask(client, world, **data):
    url = f"/deadlines/partners/{world['partner'].pk}/extensions/new/"
    key = data.pop("key", f"profile_review:{world['enrollment'].pk}:2026-03-10")
    form = client.get(url, {"key": key})
    token = form.context["form"]["submission"].value() if form.status_code == 200 else ""
    fields = {
        "key": key,
        "submission": token,
        "requested_until": "2026-04-01",
        "reason": "More time, please.",
    } | data
    return client.post(url, fields, follow=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"requested_until": "2026-03-01"}, "Ask for a date after the current due date"),
        ({"requested_until": "2027-03-01"}, "at most 180 days"),
        ({"reason": "   "}, "This field is required"),
        ({"key": "profile_review:99999:2026-03-10"}, "not open for an extension"),
    ],
)
def test_bad_extension_requests_are_refused_and_record_nothing(client, world, data, message):
    with at(REVIEW_DUE - timedelta(days=10)):
        client.force_login(world["officer"])
        response = _ask(client, world, **data)
    assert message in response.text
    assert not ExtensionRequest.objects.exists()


def test_a_cbp_deadline_cannot_be_extended_by_the_partner(client, world):
    with at(REVIEW_DUE - timedelta(days=10)):
        client.force_login(world["officer"])
        key = f"validation:{world['enrollment'].pk}:2026-03-10"  # CBP owes the validation
        response = _ask(client, world, key=key)
    assert "CBP&#x27;s to meet" in response.text or "CBP's to meet" in response.text
    assert not ExtensionRequest.objects.exists()


def test_a_double_submit_and_a_second_request_record_one(client, world):
    with at(REVIEW_DUE - timedelta(days=10)):
        client.force_login(world["officer"])
        url = f"/deadlines/partners/{world['partner'].pk}/extensions/new/"
        key = f"profile_review:{world['enrollment'].pk}:2026-03-10"
        token = client.get(url, {"key": key}).context["form"]["submission"].value()
        fields = {
            "key": key,
            "submission": token,
            "requested_until": "2026-04-01",
            "reason": "Leave.",
        }
        client.post(url, fields)
        again = client.post(url, fields)
        assert "already submitted" in again.text
        second = _ask(client, world)
        assert "already waiting for a decision" in second.text
    assert ExtensionRequest.objects.count() == 1


def test_only_cbp_decides_and_only_in_its_office(client, world):
    request = ExtensionRequest.objects.create(
        partner=world["partner"],
        key=f"profile_review:{world['enrollment'].pk}:2026-03-10",
        deadline_label="Annual security profile review",
        due_on=REVIEW_DUE,
        requested_until=date(2026, 5, 1),
        reason="Busy.",
        requested_by=world["officer"],
    )
    client.force_login(world["officer"])
    response = client.post(
        f"/deadlines/extensions/{request.pk}/",
        {"decision": "grant", "until": "2026-05-01"},
        follow=True,
    )
    assert "Only CBP staff decide" in response.text
    client.force_login(UserFactory(specialist=True))  # another field office
    assert client.get(f"/deadlines/extensions/{request.pk}/").status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


# --- Consequences ------------------------------------------------------------------------


@pytest.fixture
def trade_partner(world, catalogue):
    """An accepted Trade Compliance partner that never sent its forced-labor documentation."""
    partner = PartnerFactory(
        field_office=world["partner"].field_office, specialist=world["specialist"], security=False
    )
    EnrollmentFactory(
        partner=partner,
        status="certified",
        tier=1,
        certified_on=date(2021, 1, 4),
        applied_on=date(2020, 10, 1),
    )
    EnrollmentFactory(
        partner=partner,
        program="trade_compliance",
        status="accepted",
        applied_on=date(2021, 6, 1),
        accepted_on=date(2021, 9, 1),
    )
    MembershipFactory(partner=partner, officer=True)
    return partner


def test_overdue_forced_labor_documentation_proposes_suspension_once(client, world, trade_partner):
    supervisor = world["supervisor"]
    sweep(date(2026, 11, 28))
    sweep(date(2026, 11, 28))
    [proposal] = Consequence.objects.filter(partner=trade_partner, kind=SUSPEND_TC)
    assert proposal.kind == "suspend_trade_compliance" and proposal.status == "proposed"
    assert (
        SentNotice.objects.filter(notice="proposal", recipient=supervisor, key=proposal.key).count()
        == 1
    )
    # Nothing changed by itself.
    assert trade_partner.enrollments.get(program="trade_compliance").status == "accepted"

    with at(date(2026, 11, 28)):
        client.force_login(supervisor)
        page = client.get("/deadlines/consequences/")
        assert trade_partner.legal_name in page.text
        # A decision without a reason changes nothing.
        client.post(
            f"/deadlines/consequences/{proposal.pk}/decide/",
            {"decision": "confirm", "reason": ""},
        )
        proposal.refresh_from_db()
        assert proposal.status == "proposed"
        client.post(
            f"/deadlines/consequences/{proposal.pk}/decide/",
            {"decision": "confirm", "reason": "Documentation 3 years overdue."},
        )
        again = client.post(
            f"/deadlines/consequences/{proposal.pk}/decide/",
            {"decision": "dismiss", "reason": "Oops."},
            follow=True,
        )
        assert "already confirmed" in again.text
    proposal.refresh_from_db()
    assert proposal.status == "confirmed" and proposal.decided_by == supervisor
    trade = trade_partner.enrollments.get(program="trade_compliance")
    assert trade.status == "suspended"
    assert trade.events.filter(move="suspend", actor=supervisor).exists()


def test_a_specialist_cannot_decide_a_consequence(client, world, trade_partner):
    sweep(date(2026, 11, 28))
    proposal = Consequence.objects.get(partner=trade_partner, kind=SUSPEND_TC)
    client.force_login(world["specialist"])
    response = client.post(
        f"/deadlines/consequences/{proposal.pk}/decide/",
        {"decision": "confirm", "reason": "Because."},
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_an_unanswered_suspension_letter_and_an_overdue_revalidation_are_flagged(world):
    office = world["partner"].field_office
    suspended = EnrollmentFactory(
        partner=PartnerFactory(field_office=office, security=False),
        status="suspended",
        status_before_suspension="certified",
        certified_on=date(2024, 1, 2),
        suspended_on=date(2026, 6, 1),
    )
    stale = EnrollmentFactory(
        partner=PartnerFactory(field_office=office, security=False),
        status="validated",
        tier=2,
        certified_on=date(2020, 1, 2),
        last_validated_on=date(2022, 1, 2),
    )
    sweep(date(2026, 11, 28))
    kinds = set(Consequence.objects.values_list("partner_id", "kind"))
    assert (suspended.partner_id, "remove_for_missing_plan") in kinds
    assert (stale.partner_id, "flag_revalidation") in kinds


def test_an_overdue_corrective_action_plan_proposes_removal_which_confirming_makes(world):
    from ctpat.errors import DomainError
    from deadlines.services import consequence_decide
    from tests.factories import CorrectiveActionPlanFactory

    office = world["partner"].field_office
    late, answered = (
        EnrollmentFactory(
            partner=PartnerFactory(field_office=office, security=False),
            status="suspended",
            status_before_suspension="certified",
            certified_on=date(2024, 1, 2),
            suspended_on=date(2026, 6, 1),
        )
        for _ in range(2)
    )
    sweep(date(2026, 11, 28))
    late_proposal = Consequence.objects.get(partner=late.partner)
    answered_proposal = Consequence.objects.get(partner=answered.partner)
    assert late_proposal.kind == "remove_for_missing_plan"
    CorrectiveActionPlanFactory(enrollment=answered, submitted=True)  # handed in since
    with at(date(2026, 11, 29)):
        consequence_decide(
            actor=world["supervisor"], consequence=late_proposal, confirm=True, reason="No plan"
        )
        with pytest.raises(DomainError, match="it has been met, or the enrollment has moved on"):
            consequence_decide(
                actor=world["supervisor"],
                consequence=answered_proposal,
                confirm=True,
                reason="No plan",
            )
    late.refresh_from_db()
    answered.refresh_from_db()
    assert (late.status, answered.status) == ("removed", "suspended")
    assert late.events.filter(move="remove", actor=world["supervisor"]).exists()


def test_the_partner_page_and_the_sweep_name_each_deadline_alike(world, trade_partner):
    """Extensions refer to a deadline by key: both views of the registry must agree."""
    from ctpat.deadlines import due_items

    with at(date(2026, 11, 28)):
        for partner in (world["partner"], trade_partner):
            enrollments = list(partner.enrollments.all())
            page = {d.key for d in deadlines_for_partner(partner, enrollments=enrollments)}
            swept = {i.key for i in due_items(date(2030, 1, 1)) if i.partner_id == partner.pk}
            assert page == swept and page


def test_a_long_digest_lists_fifty_and_links_to_the_rest(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(55):
        PartnerFactory(
            field_office=world["partner"].field_office,
            specialist=world["specialist"],
            security={"status": "under_review", "applied_on": date(2026, 1, 1)},
        )
    with django_capture_on_commit_callbacks(execute=True):
        sweep(date(2026, 11, 28))  # 55 applications, the review and the validation
    [digest] = [m for m in mailoutbox if m.to == [world["specialist"].email]]
    assert digest.subject == "CTPAT Portal: 57 deadline notices"
    assert digest.body.count("\n  http") == 50
    assert "... and 7 more: http" in digest.body
    assert digest.alternatives[0][0].count("<li>") == 50


def test_granting_an_extension_dismisses_the_proposed_suspension(client, world, trade_partner):
    today = date(2026, 11, 28)
    sweep(today)
    proposal = Consequence.objects.get(partner=trade_partner, kind=SUSPEND_TC)
    officer = trade_partner.memberships.get().user
    with at(today):
        client.force_login(officer)
        response = _ask_on(client, trade_partner, proposal.key, "2027-02-01")
        assert response.status_code == 200 and "went to CBP" in response.text
        request = ExtensionRequest.objects.get(partner=trade_partner)
        client.force_login(world["specialist"])
        client.post(
            f"/deadlines/extensions/{request.pk}/",
            {"decision": "grant", "until": "2027-02-01", "note": "Auditor booked."},
        )
    proposal.refresh_from_db()
    assert proposal.status == "dismissed" and "Extension granted" in proposal.reason
    # Had it still been open, confirming it would have been refused: nothing is overdue.
    Consequence.objects.filter(pk=proposal.pk).update(status="proposed")
    with at(today):
        client.force_login(world["supervisor"])
        page = client.post(
            f"/deadlines/consequences/{proposal.pk}/decide/",
            {"decision": "confirm", "reason": "Overdue."},
            follow=True,
        )
        assert "not overdue" in page.text
    assert trade_partner.enrollments.get(program="trade_compliance").status == "accepted"
    # The partner's timeline does not show CBP's proposals.
    with at(today):
        client.force_login(officer)
        timeline = client.get(f"/partners/{trade_partner.pk}/timeline/").text
        assert "Proposed by the deadline sweep" not in timeline
        client.force_login(world["supervisor"])
        assert (
            "Proposed by the deadline sweep"
            in client.get(f"/partners/{trade_partner.pk}/timeline/").text
        )


def _ask_on(client, partner, key, until):
    url = f"/deadlines/partners/{partner.pk}/extensions/new/"
    token = client.get(url, {"key": key}).context["form"]["submission"].value()
    return client.post(
        url,
        {
            "key": key,
            "submission": token,
            "requested_until": until,
            "reason": "Our auditor is booked.",
        },
        follow=True,
    )


def test_a_date_in_the_past_is_refused(client, world, trade_partner):
    sweep(date(2026, 11, 28))
    key = Consequence.objects.get(partner=trade_partner, kind=SUSPEND_TC).key
    with at(date(2026, 11, 28)):
        client.force_login(trade_partner.memberships.get().user)
        response = _ask_on(client, trade_partner, key, "2024-01-10")  # after 2023-08-01, but past
    assert "Ask for a date in the future" in response.text
    assert not ExtensionRequest.objects.exists()


@pytest.mark.parametrize("count", [2, 20])
def test_the_extension_and_consequence_lists_query_counts_do_not_grow(
    client, world, count, django_assert_max_num_queries
):
    office = world["partner"].field_office
    for n in range(count):
        partner = PartnerFactory(
            field_office=office, specialist=world["specialist"], security=False
        )
        ExtensionRequest.objects.create(
            partner=partner,
            key=f"profile_review:{n}:2027-01-01",
            deadline_label="Review",
            due_on=date(2027, 1, 1),
            requested_until=date(2027, 2, 1),
            reason="Leave.",
            requested_by=world["officer"],
        )
        Consequence.objects.create(
            partner=partner,
            key=f"revalidation:{n}:2026-01-01",
            kind="flag_revalidation",
            deadline_label="Revalidation",
            due_on=date(2026, 1, 1),
        )
    client.force_login(world["supervisor"])
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    with django_assert_max_num_queries(10):
        assert client.get("/deadlines/extensions/").status_code == 200
    # One more query per kind of deadline: which proposals are still overdue (Confirm); and
    # one for the session's second-factor device. One more kind since issue 16 (a Security
    # Profile submitted half blank).
    with django_assert_max_num_queries(23):
        assert client.get("/deadlines/consequences/").status_code == 200
