"""Issue 15: every overdue kind proposes its consequence, in stages where the program says
so, and confirming does what the proposal says, through the owning service, telling the
supervisor what happens next with a link."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ctpat.deadlines import ProposedItem, consequence_action, deadline_key
from ctpat.errors import DomainError
from deadlines import services as deadline_services
from deadlines.models import Consequence, ExtensionRequest, SentNotice
from deadlines.sweep import run_sweep
from notifications.models import Notification
from partners import services as partner_services
from partners.deadlines import suspension_response_due
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    set_rule,
)

pytestmark = pytest.mark.django_db

DUE = date(2026, 3, 10)  # the yearly submission's due date in these tests
GRACE = 30  # annual_submission_grace_days, as seeded


def at(day: date):
    """Freeze the clock at noon of `day` (UTC): every service and page sees that date."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


def sweep(day: date):
    with at(day):
        return run_sweep()


def days(n: int) -> timedelta:
    return timedelta(days=n)


@pytest.fixture
def office():
    specialist = UserFactory(specialist=True)
    supervisor = UserFactory(supervisor=True, field_office=specialist.field_office)
    return {"specialist": specialist, "supervisor": supervisor, "office": specialist.field_office}


# kind -> (enrollment fields, flag code, suspension code, how the officer submits it)
ANNUAL = {
    "profile_review": (
        # Validated: no validation deadline of its own in these tests.
        {
            "status": "validated",
            "tier": 2,
            "applied_on": date(2024, 12, 1),
            "certified_on": date(2025, 3, 10),
            "last_validated_on": date(2025, 9, 1),
        },
        "flag_profile_review",
        "suspend_missing_profile_review",
        lambda e, officer: partner_services.profile_review_submit(
            enrollment=e, actor=officer, statement="Nothing changed."
        ),
    ),
    "notification_letter": (
        {
            "program": "trade_compliance",
            "status": "accepted",
            "applied_on": date(2024, 12, 1),
            "accepted_on": date(2025, 2, 10),  # 13 months: due 2026-03-10
        },
        "flag_notification_letter",
        "suspend_missing_notification_letter",
        lambda e, officer: partner_services.notification_letter_submit(
            enrollment=e, actor=officer, attestation="We still meet the requirements."
        ),
    ),
}


def annual_partner(office, kind):
    fields = ANNUAL[kind][0]
    with at(date(2025, 1, 5)):
        partner = PartnerFactory(
            field_office=office["office"], specialist=office["specialist"], security=False
        )
        enrollment = EnrollmentFactory(partner=partner, **fields)
    assert enrollment.annual_due_on == DUE
    officer = MembershipFactory(partner=partner, officer=True).user
    return partner, enrollment, officer


def proposals(partner, kind):
    return sorted(
        Consequence.objects.filter(partner=partner, key__startswith=f"{kind}:").values_list(
            "kind", "key"
        )
    )


def decide(client, proposal, decision="confirm", reason="Taken up with the partner."):
    return client.post(
        reverse("deadlines:consequence_decide", args=[proposal.pk]),
        {"decision": decision, "reason": reason},
        follow=True,
    )


# --- Staged proposals -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ANNUAL)
def test_a_missing_yearly_submission_is_flagged_then_a_suspension_proposed_after_the_grace(
    office, kind
):
    partner, enrollment, _ = annual_partner(office, kind)
    flag, suspend = ANNUAL[kind][1:3]
    key = deadline_key(kind, enrollment.pk, DUE)

    sweep(DUE)
    assert proposals(partner, kind) == []  # due today: not overdue yet
    sweep(DUE + days(1))
    assert proposals(partner, kind) == [(flag, key)]
    sweep(DUE + days(GRACE))
    assert proposals(partner, kind) == [(flag, key)]  # the grace has not passed
    sweep(DUE + days(GRACE + 1))
    sweep(DUE + days(GRACE + 1))  # a re-run records nothing twice
    assert proposals(partner, kind) == sorted([(flag, key), (suspend, f"{key}#{suspend}")])

    rows = Consequence.objects.filter(partner=partner, key__startswith=f"{kind}:")
    assert {row.url for row in rows} == {reverse("partners:detail", args=[partner.pk])}
    # The supervisor heard of each stage once, with its label.
    titles = list(
        Notification.objects.filter(
            recipient=office["supervisor"], title__startswith="Decision needed"
        ).values_list("title", flat=True)
    )
    for code in (flag, suspend):
        label = str(consequence_action(code).label)
        assert sum(label in title for title in titles) == 1, (label, titles)
    assert (
        SentNotice.objects.filter(
            notice="proposal", recipient=office["supervisor"], key__startswith=key
        ).count()
        == 2
    )
    enrollment.refresh_from_db()
    assert enrollment.status == ANNUAL[kind][0]["status"]  # nothing changed by itself


def test_the_grace_before_a_suspension_is_the_program_rule(office):
    set_rule("annual_submission_grace_days", 5)
    partner, enrollment, _ = annual_partner(office, "profile_review")
    sweep(DUE + days(5))
    assert [code for code, _ in proposals(partner, "profile_review")] == ["flag_profile_review"]
    sweep(DUE + days(6))
    assert [code for code, _ in proposals(partner, "profile_review")] == [
        "flag_profile_review",
        "suspend_missing_profile_review",
    ]


def test_every_overdue_kind_proposes_its_consequence(office, catalogue):
    """One partner of each kind, overdue: each proposes its first stage on the first day."""
    o = office["office"]
    certified = EnrollmentFactory(
        partner=PartnerFactory(field_office=o, security=False),
        status="certified",
        tier=1,
        applied_on=date(2024, 1, 2),
        certified_on=date(2024, 3, 1),  # initial validation due 2025-03-01
    )
    stale = EnrollmentFactory(
        partner=PartnerFactory(field_office=o, security=False),
        status="validated",
        tier=2,
        certified_on=date(2020, 1, 2),
        last_validated_on=date(2022, 1, 2),
    )
    sweep(date(2026, 11, 28))
    found = set(Consequence.objects.values_list("partner_id", "kind"))
    assert (certified.partner_id, "escalate_initial_validation") in found
    assert (certified.partner_id, "flag_profile_review") in found
    assert (stale.partner_id, "flag_revalidation") in found


# --- Confirming does what it says ---------------------------------------------------------


@pytest.mark.parametrize("kind", ANNUAL)
def test_confirming_the_flag_tells_the_partners_users_and_stays_on_its_timeline(
    client, office, kind
):
    partner, enrollment, officer = annual_partner(office, kind)
    sweep(DUE + days(1))
    proposal = Consequence.objects.get(partner=partner, kind=ANNUAL[kind][1])
    partner_page = reverse("partners:detail", args=[partner.pk])
    with at(DUE + days(1)):
        client.force_login(office["supervisor"])
        page = decide(client, proposal, reason="Second reminder by phone.")
        assert "users of the partner" in page.text or "user of the partner" in page.text
        assert "more than 30 days after its due date, a suspension is proposed" in page.text
        assert f'<a href="{partner_page}">' in page.text  # the item's page
    note = Notification.objects.get(recipient=officer, title__startswith="CBP has flagged")
    assert (note.url, note.body) == (partner_page, "Second reminder by phone.")
    proposal.refresh_from_db()
    assert proposal.status == "confirmed"
    enrollment.refresh_from_db()
    assert enrollment.status == ANNUAL[kind][0]["status"]
    with at(DUE + days(2)):
        client.force_login(officer)
        timeline = client.get(reverse("partners:timeline", args=[partner.pk])).text
        assert f"Confirmed by CBP: {proposal.label}" in timeline


@pytest.mark.parametrize("kind", ANNUAL)
def test_confirming_the_suspension_suspends_for_lack_of_commitment(client, office, kind):
    partner, enrollment, officer = annual_partner(office, kind)
    day = DUE + days(GRACE + 1)
    sweep(day)
    proposal = Consequence.objects.get(partner=partner, kind=ANNUAL[kind][2])
    with at(day):
        client.force_login(office["supervisor"])
        page = decide(client, proposal, reason="Two months without the submission.")
        assert "is suspended as of today (cause: lack of commitment)" in page.text
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.suspension_cause) == ("suspended", "lack_of_commitment")
    assert enrollment.suspended_on == day
    assert enrollment.events.filter(move="suspend", actor=office["supervisor"]).exists()


@pytest.mark.parametrize("kind", ANNUAL)
def test_confirming_after_the_submission_came_in_is_refused_and_changes_nothing(
    client, office, kind
):
    partner, enrollment, officer = annual_partner(office, kind)
    day = DUE + days(GRACE + 1)
    sweep(day)
    with at(day):
        ANNUAL[kind][3](enrollment, officer)  # handed in at last
        client.force_login(office["supervisor"])
        for proposal in Consequence.objects.filter(partner=partner):
            if not proposal.key.startswith(kind):
                continue
            page = decide(client, proposal)
            assert "The obligation is no longer owed" in page.text
            proposal.refresh_from_db()
            assert proposal.status == "proposed"
    enrollment.refresh_from_db()
    assert enrollment.status == ANNUAL[kind][0]["status"]
    assert not Notification.objects.filter(title__startswith="CBP has flagged").exists()


def test_the_suspension_handler_itself_refuses_what_it_cannot_do(office):
    """Under the lock, the handler checks again: the submission came in, or the enrollment is
    no longer one that can be suspended (a race with the page's check)."""
    partner, enrollment, officer = annual_partner(office, "profile_review")
    action = consequence_action("suspend_missing_profile_review")
    item = ProposedItem(
        f"{deadline_key('profile_review', enrollment.pk, DUE)}#{action.code}",
        partner.pk,
        "Annual security profile review",
        "",
        DUE,
    )
    with at(DUE + days(GRACE + 1)):
        ANNUAL["profile_review"][3](enrollment, officer)
        with pytest.raises(DomainError, match="has submitted its Annual security profile"):
            action.confirm(actor=office["supervisor"], partner_id=partner.pk, reason="R", item=item)
        enrollment.refresh_from_db()
        partner_services.enrollment_withdraw(
            enrollment=enrollment, actor=office["supervisor"], reason="Left the program"
        )
        with pytest.raises(DomainError, match="no longer one that can be suspended"):
            action.confirm(actor=office["supervisor"], partner_id=partner.pk, reason="R", item=item)
    enrollment.refresh_from_db()
    assert enrollment.status == "withdrawn"


@pytest.mark.parametrize(
    ("kind", "code", "fields"),
    [
        (
            "validation",
            "escalate_initial_validation",
            {"status": "certified", "tier": 1, "certified_on": date(2025, 3, 10)},
        ),
        (
            "revalidation",
            "flag_revalidation",
            {
                "status": "validated",
                "tier": 2,
                "certified_on": date(2020, 1, 2),
                "last_validated_on": date(2022, 3, 10),
            },
        ),
    ],
)
@pytest.mark.parametrize("assigned", [True, False])
def test_confirming_an_overdue_validation_asks_for_it_to_be_planned(
    client, office, kind, code, fields, assigned
):
    partner = PartnerFactory(
        field_office=office["office"],
        specialist=office["specialist"] if assigned else None,
        security=False,
    )
    enrollment = EnrollmentFactory(partner=partner, applied_on=date(2019, 1, 2), **fields)
    sweep(DUE + days(1))
    proposal = Consequence.objects.get(partner=partner, kind=code)
    plan_page = reverse("validations:plan", args=[partner.pk])
    with at(DUE + days(1)):
        client.force_login(office["supervisor"])
        page = decide(client, proposal, reason="A year late.")
        assert f'<a href="{plan_page}">' in page.text
        assert "asked to plan the" in page.text
    asked = office["specialist"] if assigned else office["supervisor"]
    note = Notification.objects.get(recipient=asked, title__startswith="Plan the overdue")
    assert note.url == plan_page and partner.legal_name in note.title
    enrollment.refresh_from_db()
    assert enrollment.status == fields["status"]


def test_escalating_a_validation_done_since_is_refused(office):
    partner = PartnerFactory(
        field_office=office["office"], specialist=office["specialist"], security=False
    )
    enrollment = EnrollmentFactory(
        partner=partner, status="certified", tier=1, certified_on=date(2025, 3, 10)
    )
    sweep(DUE + days(1))
    proposal = Consequence.objects.get(partner=partner, kind="escalate_initial_validation")
    with at(DUE + days(2)):
        partner_services.enrollment_validate(
            enrollment=enrollment, actor=office["supervisor"], tier=2, reason="Validated"
        )
        with pytest.raises(DomainError, match="no longer owed"):
            deadline_services.consequence_decide(
                actor=office["supervisor"], consequence=proposal, confirm=True, reason="Late"
            )
    assert not Notification.objects.filter(title__startswith="Plan the overdue").exists()


def test_confirming_an_overdue_required_action_flags_it_to_the_partner(client, office):
    from tests.validations.conftest import to_review
    from validations import services as validation_services

    partner = PartnerFactory(
        field_office=office["office"], specialist=office["specialist"], security=False
    )
    enrollment = EnrollmentFactory(partner=partner, certified=True)
    officer = MembershipFactory(partner=partner, officer=True).user
    people = {"specialist": office["specialist"], "supervisor": office["supervisor"]}
    today = date.today()
    validation = validation_services.validation_plan(
        actor=office["supervisor"],
        enrollment=enrollment,
        kind="initial",
        mode="on_site",
        lead=office["specialist"],
        planned_start=today,
        planned_end=today,
    )
    to_review(people, validation)
    validation_services.validation_approve(
        validation=validation, actor=office["supervisor"], tier=2
    )
    [action] = validation.findings.filter(action__isnull=False)
    late = action.action.due_on + days(1)
    sweep(late)
    proposal = Consequence.objects.get(partner=partner, kind="flag_required_action")
    validation_page = reverse("validations:detail", args=[validation.pk])
    assert proposal.url == validation_page
    with at(late):
        client.force_login(office["supervisor"])
        page = decide(client, proposal, reason="Seal log still missing.")
        assert "Follow it up on the validation page" in page.text
        assert f'<a href="{validation_page}">' in page.text
    note = Notification.objects.get(recipient=officer, title__startswith="CBP has flagged")
    assert note.url == validation_page and "Required action on criterion" in note.title


def test_a_proposal_recorded_before_issue_15_still_resolves_and_acts(client, office):
    """An unanswered suspension letter used to be flagged with no effect; such a row, with no
    page stored, now tells the partner's users and links to the partner page."""
    suspended = EnrollmentFactory(
        partner=PartnerFactory(field_office=office["office"], security=False),
        status="suspended",
        status_before_suspension="certified",
        certified_on=date(2024, 1, 2),
        suspended_on=date(2026, 6, 1),
    )
    officer = MembershipFactory(partner=suspended.partner, officer=True).user
    due = suspension_response_due(suspended)
    proposal = Consequence.objects.create(
        partner=suspended.partner,
        key=deadline_key("corrective_action_plan", suspended.pk, due),
        kind="flag_suspension_response",
        label="Suspension letter unanswered: decide removal or reinstatement",
        deadline_label="Corrective action plan",
        due_on=due,
    )
    partner_page = reverse("partners:detail", args=[suspended.partner_id])
    with at(due + days(3)):
        client.force_login(office["supervisor"])
        listing = client.get(reverse("deadlines:consequences")).text
        assert f'href="{partner_page}" data-testid="consequence-item"' in listing
        page = decide(client, proposal)
        assert "decide removal or reinstatement on the partner page" in page.text
        assert f'<a href="{partner_page}">' in page.text
    assert Notification.objects.filter(recipient=officer, title__startswith="CBP has flagged")
    suspended.refresh_from_db()
    assert suspended.status == "suspended"


# --- Extensions, links and the page --------------------------------------------------------


def test_granting_an_extension_dismisses_both_stages(office):
    partner, enrollment, officer = annual_partner(office, "profile_review")
    day = DUE + days(GRACE + 1)
    sweep(day)
    staged = Consequence.objects.filter(partner=partner, key__startswith="profile_review:")
    assert staged.count() == 2
    with at(day):
        request = deadline_services.extension_request(
            actor=officer,
            partner=partner,
            key=deadline_key("profile_review", enrollment.pk, DUE),
            requested_until=day + days(30),
            reason="Our security manager was on leave.",
        )
        deadline_services.extension_decide(
            actor=office["specialist"], request=request, grant=True, until=None, note="Agreed."
        )
    assert ExtensionRequest.objects.get().status == "granted"
    assert set(staged.values_list("status", flat=True)) == {"dismissed"}
    # Overdue again after the new date: a fresh flag, about the new date.
    sweep(day + days(31))
    assert Consequence.objects.filter(
        partner=partner, status="proposed", key__endswith=f">{day + days(30):%Y-%m-%d}"
    ).exists()


def test_each_row_links_to_its_partner_and_its_item(client, office):
    partner, enrollment, _ = annual_partner(office, "profile_review")
    sweep(DUE + days(GRACE + 1))
    flag = Consequence.objects.get(partner=partner, kind="flag_profile_review")
    partner_page = reverse("partners:detail", args=[partner.pk])
    with at(DUE + days(GRACE + 1)):
        client.force_login(office["supervisor"])
        decide(client, flag, decision="dismiss", reason="Submitted on paper.")
        page = client.get(reverse("deadlines:consequences"))
    html = page.text
    proposed, decided = html.split('data-testid="decided-consequences"')
    for part in (proposed, decided):
        assert f'<a href="{partner_page}" data-testid="consequence-partner">' in part
        assert (
            f'<a class="small" href="{partner_page}" data-testid="consequence-item">' in (part)
            or f'<a href="{partner_page}" data-testid="consequence-item">' in part
        )
    assert "Dismissed" in decided and partner.legal_name in decided


def _proposals_of_every_kind(office, n):
    """n partners, each with a proposed and a decided proposal of several kinds."""
    for i in range(n):
        partner = PartnerFactory(field_office=office["office"], security=False)
        for stage, kind in enumerate(
            ["flag_profile_review", "suspend_missing_profile_review", "escalate_initial_validation"]
        ):
            Consequence.objects.create(
                partner=partner,
                key=f"profile_review:{partner.pk}:2026-03-10#{stage}",
                kind=kind,
                label="Proposal",
                deadline_label="Annual security profile review",
                due_on=DUE,
                url=f"/validations/{i}/",
            )
        Consequence.objects.create(
            partner=partner,
            key=f"required_action:{partner.pk}:2026-03-10",
            kind="flag_required_action",
            label="Flag",
            deadline_label="Required action",
            due_on=DUE,
            status="dismissed",
            decided_by=office["supervisor"],
            decided_at=datetime(2026, 3, 12, tzinfo=UTC),
            reason="Answered by phone.",
        )


def test_the_consequences_page_query_count_is_the_same_at_two_sizes(client, office):
    client.force_login(office["supervisor"])
    url = reverse("deadlines:consequences")
    counts = []
    for n in (2, 10):
        _proposals_of_every_kind(office, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
