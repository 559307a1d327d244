"""Each role's home page shows its own work, and only its own."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from benefits.selectors import benefits_for_partner
from ctpat.deadlines import due_items
from deadlines.models import Consequence, ExtensionRequest
from forced_labor.models import Requirement
from forced_labor.services import submission_create
from notifications.models import Notification
from partners.models import Partner
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    ValidationFactory,
)
from tests.forced_labor.conftest import pdf
from validations.models import DocumentRequest, Finding, RequiredAction
from validations.selectors import criteria_in_force

pytestmark = pytest.mark.django_db

TODAY = date.today()


def document_request(partner, name, due_on, lead=None):
    validation = ValidationFactory(
        enrollment=partner.enrollments.get(program="security"),
        **({"lead": lead} if lead else {}),
    )
    return DocumentRequest.objects.create(
        validation=validation,
        name=name,
        due_on=due_on,
        requested_by=validation.lead,
        status="requested",
    )


def required_action(partner, due_on, status="open"):
    validation = ValidationFactory(
        enrollment=partner.enrollments.get(program="security"), status="approved"
    )
    version = criteria_in_force(partner.entity_type, TODAY)[0]
    finding = Finding.objects.create(
        validation=validation,
        criterion_version=version,
        result="required_action",
        narrative="Fix the seals",
    )
    return RequiredAction.objects.create(finding=finding, due_on=due_on, status=status)


def extension_request(partner, label, n=0):
    return ExtensionRequest.objects.create(
        partner=partner,
        key=f"profile_review:{partner.pk}:{n}",
        deadline_label=label,
        due_on=TODAY + timedelta(days=10),
        requested_until=TODAY + timedelta(days=40),
        reason="Busy",
        requested_by=MembershipFactory(partner=partner).user,
    )


def submission(partner, number=3):
    member = MembershipFactory(partner=partner).user
    return submission_create(
        actor=member,
        partner=partner,
        requirement=Requirement.objects.get(number=number),
        title="Evidence",
        effective_on=TODAY,
        files=[pdf()],
    )


def trade_compliance_partner(**kwargs):
    partner = PartnerFactory(security={"validated": True}, **kwargs)
    EnrollmentFactory(partner=partner, trade_accepted=True)
    return partner


@pytest.fixture
def specialist(client):
    user = UserFactory(specialist=True, full_name="Casey Specialist")
    client.force_login(user)
    return user


@pytest.fixture
def colleague(specialist):
    """Another specialist of the same office, whose partners are not mine."""
    colleague = UserFactory(specialist=True, field_office=specialist.field_office)
    partner = trade_compliance_partner(
        field_office=specialist.field_office, specialist=colleague, legal_name="Colleague Co."
    )
    document_request(partner, "Colleague secret manifest", TODAY - timedelta(days=3))
    extension_request(partner, "Colleague secret extension")
    submission(partner)
    ValidationFactory(enrollment=partner.enrollments.get(program="security"))
    return colleague


# --- Specialist -------------------------------------------------------------------------


def test_a_specialist_sees_its_partners_and_their_overdue_and_coming_deadlines(
    client, specialist, colleague
):
    mine = trade_compliance_partner(
        field_office=specialist.field_office, specialist=specialist, legal_name="Mine Co."
    )
    document_request(mine, "Overdue manifest", TODAY - timedelta(days=4))
    document_request(mine, "Coming seal log", TODAY + timedelta(days=6))
    document_request(mine, "Far away plan", TODAY + timedelta(days=200))

    html = client.get(reverse("home")).content.decode()

    assert "My work" in html
    assert "Mine Co." in html and "Validated (Tier 2)" in html
    overdue, soon = html.split('id="overdue-heading"')[1].split('id="due-soon-heading"')
    assert "Overdue manifest" in overdue and "4 days overdue" in overdue
    # The forced-labor documentation owed since the application is overdue too.
    assert "Forced-labor documentation" in overdue
    assert "Coming seal log" in soon and "in 6 days" in soon
    assert "Far away plan" not in html
    assert "Colleague" not in html


def test_a_specialist_sees_the_validations_it_leads_that_are_still_open(client, specialist):
    partner = PartnerFactory(
        field_office=specialist.field_office, specialist=specialist, security={"certified": True}
    )
    enrollment = partner.enrollments.get()
    ValidationFactory(enrollment=enrollment, lead=specialist, status="in_progress")
    closed = ValidationFactory(enrollment=enrollment, lead=specialist, status="closed")
    cancelled = ValidationFactory(enrollment=enrollment, lead=specialist, status="cancelled")
    someone_elses = ValidationFactory(enrollment=enrollment)

    html = client.get(reverse("home")).content.decode()

    table = html.split('data-testid="my-validations"')[1].split("</table>")[0]
    assert "In progress" in table
    for hidden in (closed, cancelled, someone_elses):
        assert reverse("validations:detail", args=[hidden.pk]) not in table


def test_a_specialist_sees_the_reviews_and_extension_requests_of_its_own_partners(
    client, specialist, colleague
):
    mine = trade_compliance_partner(
        field_office=specialist.field_office, specialist=specialist, legal_name="Mine Co."
    )
    waiting = submission(mine)
    extension_request(mine, "My partner's profile review")
    decided = extension_request(mine, "Already decided", n=1)
    ExtensionRequest.objects.filter(pk=decided.pk).update(status="denied")

    html = client.get(reverse("home")).content.decode()

    assert reverse("forced_labor:review", args=[waiting.pk]) in html
    assert escape("My partner's profile review") in html
    assert "Already decided" not in html
    assert "Colleague" not in html


def test_a_specialist_without_partners_sees_empty_states(client, specialist):
    html = client.get(reverse("home")).content.decode()
    assert "No partners are assigned to you yet." in html
    assert "Nothing is overdue for your partners." in html
    assert "You lead no open validations." in html


def fill_specialist_work(specialist, count):
    for n in range(count):
        partner = trade_compliance_partner(
            field_office=specialist.field_office, specialist=specialist
        )
        document_request(partner, f"Manifest {n}", TODAY - timedelta(days=n % 7), specialist)
        required_action(partner, TODAY + timedelta(days=n % 20))
        extension_request(partner, f"Review {n}")
        submission(partner)


@pytest.mark.parametrize("count", [2, 20])
def test_the_specialist_home_query_count_does_not_grow_with_rows(
    client, specialist, django_assert_max_num_queries, count
):
    fill_specialist_work(specialist, count)
    # Session and user, the unread count; partners, validations, queue and extensions (a
    # count and a page each); the registry: one query per kind and one for extensions.
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    # One more kind since issue 15 (appeal decisions; corrective action plans replaced the
    # suspension response). One more kind since issue 16 (a profile submitted half blank).
    # One more since the responses awaiting my decision: their count (none here;
    # tests/ctpat/test_home_queues.py counts them at two sizes).
    with django_assert_max_num_queries(30):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["overdue"].count >= count


# --- The registry, restricted to some partners -------------------------------------------


def test_due_items_for_some_partners_are_the_registrys_items_of_those_partners(specialist):
    partners = []
    for n in range(3):
        partner = trade_compliance_partner(field_office=specialist.field_office)
        PartnerFactory(security={"status": "suspended", "suspended_on": TODAY - timedelta(days=99)})
        document_request(partner, f"Manifest {n}", TODAY - timedelta(days=n))
        required_action(partner, TODAY + timedelta(days=n))
        partners.append(partner)
    until = TODAY + timedelta(days=400)
    chosen = [partners[0].pk, partners[2].pk]

    everything = {i.key for i in due_items(until) if i.partner_id in chosen}
    assert everything
    assert {i.key for i in due_items(until, partner_ids=chosen)} == everything
    as_subquery = Partner.objects.filter(pk__in=chosen).values("pk")
    assert {i.key for i in due_items(until, partner_ids=as_subquery)} == everything
    assert due_items(until, partner_ids=[]) == []


# --- Supervisor and administrator ----------------------------------------------------------


def test_a_supervisor_sees_consequences_to_decide_and_the_offices_overdue_items(client):
    supervisor = UserFactory(supervisor=True)
    partner = trade_compliance_partner(field_office=supervisor.field_office, legal_name="Ours Co.")
    Consequence.objects.create(
        partner=partner,
        key="forced_labor:1:2023-08-01",
        kind="suspend_trade_compliance",
        label="Suspend Trade Compliance (forced-labor documentation overdue)",
        deadline_label="Forced-labor documentation",
        due_on=date(2023, 8, 1),
    )
    extension_request(partner, "Profile review of ours")
    elsewhere = trade_compliance_partner(legal_name="Other Office Secret")
    Consequence.objects.create(
        partner=elsewhere,
        key="forced_labor:2:2023-08-01",
        kind="suspend_trade_compliance",
        label="Suspend Trade Compliance (forced-labor documentation overdue)",
        deadline_label="Forced-labor documentation",
        due_on=date(2023, 8, 1),
    )
    client.force_login(supervisor)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("dashboard:index")}"' in html
    consequences = html.split('data-testid="consequences"')[1].split("</ul>")[0]
    assert "Ours Co." in consequences and "Suspend Trade Compliance" in consequences
    assert "Profile review of ours" in html
    assert "Forced-labor documentation" in html.split('data-testid="overdue"')[1]
    assert "Other Office Secret" not in html


def test_an_administrator_sees_every_offices_consequences_and_the_dashboard(client):
    partner = trade_compliance_partner(legal_name="Anywhere Co.")
    Consequence.objects.create(
        partner=partner,
        key="forced_labor:1:2023-08-01",
        kind="suspend_trade_compliance",
        label="Suspend Trade Compliance (forced-labor documentation overdue)",
        deadline_label="Forced-labor documentation",
        due_on=date(2023, 8, 1),
    )
    client.force_login(UserFactory(administrator=True))
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("dashboard:index")}"' in html
    assert "Anywhere Co." in html


# --- Partner users ---------------------------------------------------------------------------


@pytest.fixture
def consultant(client):
    """A partner user working for two companies, and a third company it has nothing to do with."""
    user = UserFactory(partner=True)
    acme = trade_compliance_partner(legal_name="Acme Co.")
    MembershipFactory(partner=acme, user=user, officer=True)
    maple = PartnerFactory(legal_name="Maple Co.", security={"certified": True})
    MembershipFactory(partner=maple, user=user, role="consultant")
    secret = trade_compliance_partner(legal_name="Secret Rival Inc.")
    document_request(secret, "Secret Rival manifest", TODAY - timedelta(days=2))
    Notification.objects.create(
        recipient=MembershipFactory(partner=secret).user, title="Secret Rival news"
    )
    client.force_login(user)
    return {"user": user, "acme": acme, "maple": maple, "secret": secret}


def test_a_partner_user_sees_each_of_its_companies_and_never_another(client, consultant):
    acme, maple = consultant["acme"], consultant["maple"]
    document_request(acme, "Acme seal log", TODAY - timedelta(days=2))
    required_action(maple, TODAY + timedelta(days=9))
    Notification.objects.create(recipient=consultant["user"], title="Your request was granted")

    html = client.get(reverse("home")).content.decode()

    assert "Acme Co." in html and "Maple Co." in html
    assert "Secret Rival" not in html
    assert "Document requested: Acme seal log" in html
    assert "Required action on criterion" in html
    assert "Your request was granted" in html
    assert reverse("partners:detail", args=[consultant["secret"].pk]) not in html
    assert html.count('data-testid="company"') == 2


def test_a_partner_user_sees_programs_deadlines_forced_labor_and_benefits(client, consultant):
    acme = consultant["acme"]

    response = client.get(reverse("home"))
    html = response.content.decode()
    company = next(c for c in response.context["companies"] if c.partner == acme)

    assert "Validated (Tier 2)" in html and "Accepted" in html
    # Accepted 320 days ago, so the Annual Notification Letter is ahead and the
    # forced-labor documentation (owed with the application) overdue.
    assert "Annual Notification Letter" in html
    assert "days overdue" in html
    assert company.documentation.applies and "0 of" in html
    applying = [b.benefit.name for b in benefits_for_partner(acme) if b.applies]
    assert applying and [b.benefit.name for b in company.benefits] == applying
    for name in applying:
        assert escape(name) in html


def test_a_partner_user_without_a_company_is_told_how_to_get_one(client):
    client.force_login(UserFactory(partner=True))
    assert "not linked to a company yet" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_the_partner_home_query_count_does_not_grow_with_rows(
    client, consultant, django_assert_max_num_queries, count
):
    for partner in (consultant["acme"], consultant["maple"]):
        for n in range(count):
            document_request(partner, f"Manifest {n}", TODAY + timedelta(days=n))
            required_action(partner, TODAY + timedelta(days=n))
    for n in range(count):
        Notification.objects.create(recipient=consultant["user"], title=f"News {n}")
    submission(consultant["acme"], number=5)  # 4 is kept on request, not uploaded
    submission(consultant["acme"], number=3)
    # Session, user, unread count; memberships, enrollments, requests, actions,
    # notifications; then per company: documentation (3), extensions, benefit catalogue.
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    # Per company, one more since issue 15: its appeals waiting for a decision; and since
    # issue 16 its Security Profile versions submitted half blank.
    with django_assert_max_num_queries(27):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(response.context["companies"]) == 2
