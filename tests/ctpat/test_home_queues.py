"""Issue 15's work queues: what waits for a supervisor's or a specialist's decision is on
their home page, each row offering the decision only to someone its rule allows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners import permissions as partner_permissions
from partners import selectors as partner_selectors
from partners.models import Appeal, EnrollmentEvent
from tests.ctpat.test_home import TODAY, extension_request, submission, trade_compliance_partner
from tests.factories import (
    CorrectiveActionPlanFactory,
    EnrollmentFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    ValidationFactory,
)
from validations import permissions as validation_permissions
from validations import selectors as validation_selectors
from validations.choices import Move
from validations.models import Finding, RequiredAction
from validations.selectors import criteria_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(client):
    user = UserFactory(supervisor=True, full_name="Sam Supervisor")
    client.force_login(user)
    return user


def in_review(partner, approver=None):
    """A validation of the partner's Security enrollment waiting for `approver`'s review
    (a new supervisor of the partner's office when None)."""
    return ValidationFactory(
        enrollment=partner.enrollments.get(program="security"),
        status="supervisor_review",
        **({"approving_supervisor": approver} if approver else {}),
    )


def suspended_partner(office, name="Suspended Co."):
    partner = PartnerFactory(field_office=office, security=False, legal_name=name)
    enrollment = EnrollmentFactory(
        partner=partner,
        status="suspended",
        status_before_suspension="certified",
        tier=1,
        certified_on=TODAY - timedelta(days=300),
        suspended_on=TODAY - timedelta(days=5),
    )
    return partner, enrollment


def filed_appeal(enrollment, actor):
    event = EnrollmentEvent.objects.create(
        enrollment=enrollment, move="suspend", to_status="suspended", actor=actor
    )
    return Appeal.objects.create(
        enrollment=enrollment,
        decision=event,
        appealed_status="suspended",
        grounds="The seal was not ours",
        filed_by=MembershipFactory(partner=enrollment.partner, officer=True).user,
        filed_on=TODAY,
    )


def section(html, testid):
    return html.split(f'data-testid="{testid}"')[1].split("</ul>")[0]


# --- Validations awaiting my review --------------------------------------------------------


def test_a_supervisor_sees_the_validations_it_is_to_review_with_a_link_to_decide(
    client, supervisor
):
    office = supervisor.field_office
    mine = in_review(PartnerFactory(field_office=office, legal_name="Review Me Co."), supervisor)
    colleague = UserFactory(supervisor=True, field_office=office)
    in_review(PartnerFactory(field_office=office, legal_name="Colleague's Review"), colleague)
    ValidationFactory(
        enrollment=PartnerFactory(
            field_office=office, legal_name="Still Drafting"
        ).enrollments.get(),
        approving_supervisor=supervisor,
        status="report_drafting",
    )

    response = client.get(reverse("home"))
    html = response.content.decode()

    reviews = section(html, "reviews")
    assert "Review Me Co." in reviews
    assert f'href="{reverse("validations:detail", args=[mine.pk])}"' in reviews
    assert "Colleague&#x27;s Review" not in reviews and "Still Drafting" not in reviews
    assert response.context["reviews"].count == 1
    assert 'data-testid="count-reviews"' in html


def test_no_review_is_offered_to_a_supervisor_who_is_not_the_approver(client, supervisor):
    """The office's other supervisor, and a supervisor of another office, are refused the
    Return move (can_make_move): their home pages offer no Review."""
    approver = UserFactory(supervisor=True, field_office=supervisor.field_office)
    validation = in_review(PartnerFactory(field_office=supervisor.field_office), approver)
    elsewhere = UserFactory(supervisor=True)
    for person in (supervisor, elsewhere):
        assert not validation_permissions.can_make_move(person, validation, Move.RETURN)
        client.force_login(person)
        html = client.get(reverse("home")).content.decode()
        assert 'data-action="review"' not in html
        assert "No validation reports are waiting for your review." in html


def test_an_administrator_reviews_every_offices_validations(client):
    validation = in_review(PartnerFactory(legal_name="Anywhere Co."))
    admin = UserFactory(administrator=True)
    client.force_login(admin)
    html = client.get(reverse("home")).content.decode()
    assert "Anywhere Co." in section(html, "reviews")
    assert validation_permissions.can_make_move(admin, validation, Move.RETURN)


def test_every_review_listed_is_one_the_person_may_decide(supervisor):
    office = supervisor.field_office
    for _ in range(3):
        in_review(PartnerFactory(field_office=office), supervisor)
    in_review(
        PartnerFactory(field_office=office), UserFactory(supervisor=True, field_office=office)
    )
    for person in (supervisor, UserFactory(administrator=True)):
        rows = list(validation_selectors.validations_awaiting_review(person))
        assert rows
        assert all(validation_permissions.can_make_move(person, v, Move.RETURN) for v in rows)


# --- Appeals and corrective action plans ---------------------------------------------------


def test_a_supervisor_sees_the_offices_appeals_and_plans_awaiting_a_decision(client, supervisor):
    office = supervisor.field_office
    partner, enrollment = suspended_partner(office, "Appealing Co.")
    appeal = filed_appeal(enrollment, supervisor)
    plan = CorrectiveActionPlanFactory(enrollment=enrollment, submitted=True)
    _, other = suspended_partner(office, "Draft Plan Co.")
    CorrectiveActionPlanFactory(enrollment=other)  # a draft: nothing to decide
    _, elsewhere = suspended_partner(UserFactory(supervisor=True).field_office, "Far Away Co.")
    filed_appeal(elsewhere, supervisor)
    CorrectiveActionPlanFactory(enrollment=elsewhere, submitted=True)

    html = client.get(reverse("home")).content.decode()

    appeals = section(html, "appeals")
    assert "Appealing Co." in appeals and "suspended" in appeals
    assert reverse("partners:appeal_decide", args=[partner.pk, appeal.pk]) in appeals
    plans = section(html, "plans")
    assert "Appealing Co." in plans
    assert reverse("partners:plan_decide", args=[partner.pk, plan.pk]) in plans
    assert "Draft Plan Co." not in html and "Far Away Co." not in html


def test_an_appeal_the_rule_refuses_is_not_offered(client, supervisor):
    """An appeal whose enrollment has moved on (reinstated meanwhile) cannot be decided
    (can_decide_appeal), so the home page does not offer it."""
    partner, enrollment = suspended_partner(supervisor.field_office, "Moved On Co.")
    appeal = filed_appeal(enrollment, supervisor)
    enrollment.status = "certified"
    enrollment.save()
    assert not partner_permissions.can_decide_appeal(supervisor, appeal)
    html = client.get(reverse("home")).content.decode()
    assert 'data-action="appeal-decide"' not in html
    assert "No appeals are waiting for a decision." in html


def test_specialists_and_partner_users_have_no_appeals_or_plans_to_decide(supervisor):
    _, enrollment = suspended_partner(supervisor.field_office)
    filed_appeal(enrollment, supervisor)
    CorrectiveActionPlanFactory(enrollment=enrollment, submitted=True)
    specialist = UserFactory(specialist=True, field_office=supervisor.field_office)
    member = MembershipFactory(partner=enrollment.partner).user
    for person in (specialist, member):
        assert not partner_selectors.appeals_awaiting_decision(person).exists()
        assert not partner_selectors.plans_awaiting_decision(person).exists()


def test_every_appeal_and_plan_listed_is_one_the_person_may_decide(supervisor):
    for n in range(3):
        _, enrollment = suspended_partner(supervisor.field_office, f"Co. {n}")
        filed_appeal(enrollment, supervisor)
        CorrectiveActionPlanFactory(enrollment=enrollment, submitted=True)
    for person in (supervisor, UserFactory(administrator=True)):
        appeals = list(partner_selectors.appeals_awaiting_decision(person))
        plans = list(partner_selectors.plans_awaiting_decision(person))
        assert len(appeals) == len(plans) == 3
        assert all(partner_permissions.can_decide_appeal(person, a) for a in appeals)
        assert all(partner_permissions.can_decide_corrective_action_plan(person, p) for p in plans)


# --- Responses awaiting my decision (specialists) ------------------------------------------


@pytest.fixture
def specialist(client):
    user = UserFactory(specialist=True, full_name="Casey Specialist")
    client.force_login(user)
    return user


def response(partner, lead, *, status="response_submitted", days_ago=1, team=()):
    validation = ValidationFactory(
        enrollment=partner.enrollments.get(program="security"), lead=lead, status="approved"
    )
    validation.team.add(*team)
    finding = Finding.objects.create(
        validation=validation,
        criterion_version=criteria_in_force(partner.entity_type, TODAY)[0],
        result="required_action",
        narrative="Seal log incomplete",
    )
    return RequiredAction.objects.create(
        finding=finding,
        due_on=TODAY + timedelta(days=30),
        status=status,
        response="Seal log now kept daily" if status != "open" else "",
        responded_at=timezone.now() - timedelta(days=days_ago) if status != "open" else None,
    )


def test_a_specialist_sees_the_responses_on_its_validations_oldest_first(client, specialist):
    office = specialist.field_office
    newer = response(PartnerFactory(field_office=office, legal_name="Newer Co."), specialist)
    older = response(
        PartnerFactory(field_office=office, legal_name="Older Co."), specialist, days_ago=9
    )
    lead = UserFactory(specialist=True, field_office=office)
    covered = response(
        PartnerFactory(field_office=office, legal_name="Team Co."), lead, team=[specialist]
    )
    response(
        PartnerFactory(field_office=office, legal_name="Unanswered Co."), specialist, status="open"
    )
    # My partner, but a colleague's validation: the colleague's team decides.
    response(
        PartnerFactory(field_office=office, specialist=specialist, legal_name="Not My Team Co."),
        lead,
    )

    html = client.get(reverse("home")).content.decode()

    rows = section(html, "responses")
    assert rows.index("Older Co.") < rows.index("Newer Co.")
    assert "Team Co." in rows
    for action in (older, newer, covered):
        url = reverse("validations:action_decide", args=[action.finding.validation_id, action.pk])
        assert url in rows
    assert "Unanswered Co." not in rows and "Not My Team Co." not in rows
    assert 'data-testid="count-responses"' in html


def test_every_response_listed_is_one_the_specialist_may_decide(specialist):
    office = specialist.field_office
    other = UserFactory(specialist=True, field_office=office)
    for n in range(2):
        response(PartnerFactory(field_office=office), specialist, days_ago=n)
        response(PartnerFactory(field_office=office), other, team=[specialist])
        response(PartnerFactory(field_office=office), other)
    rows = list(validation_selectors.responses_awaiting_decision(specialist))
    assert len(rows) == 4
    assert all(validation_permissions.can_decide_action(specialist, a) for a in rows)
    refused = RequiredAction.objects.exclude(pk__in=[a.pk for a in rows])
    assert not any(validation_permissions.can_decide_action(specialist, a) for a in refused)


# --- Query counts: the same at two sizes ---------------------------------------------------------


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


def fill_office(supervisor, count):
    office = supervisor.field_office
    for n in range(count):
        partner = trade_compliance_partner(field_office=office, legal_name=f"Office Co. {n}")
        in_review(partner, supervisor)
        extension_request(partner, f"Review {n}")
        submission(partner)
        _, enrollment = suspended_partner(office, f"Suspended {n}")
        filed_appeal(enrollment, supervisor)
        CorrectiveActionPlanFactory(enrollment=enrollment, submitted=True)


def test_the_supervisor_home_query_count_is_the_same_at_two_sizes(client, supervisor):
    fill_office(supervisor, 2)
    small = queries(client)
    fill_office(supervisor, 12)
    assert queries(client) == small
    # Session, user, second-factor device, unread count; a count and a page per queue (six
    # of them); the office's overdue deadlines (a query per kind of the registry, and one
    # for extensions; the Security Profile's blank_profile kind is one of them).
    assert small <= 32, small


def test_the_specialist_home_query_count_is_the_same_at_two_sizes(client, specialist):
    office = specialist.field_office

    def fill(count):
        for n in range(count):
            partner = trade_compliance_partner(field_office=office, specialist=specialist)
            response(partner, specialist, days_ago=n)
            extension_request(partner, f"Review {n}")
            submission(partner)

    fill(2)
    small = queries(client)
    fill(12)
    assert queries(client) == small
