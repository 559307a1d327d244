import io

import pytest
from django.core.management import call_command

from accounts.choices import Role
from accounts.demo import DEMO_PASSWORD
from accounts.models import User

pytestmark = pytest.mark.django_db


def snapshot():
    from partners.models import Enrollment, EnrollmentEvent, Membership, Partner

    return (
        sorted(User.objects.values_list("email", "password", "role", "field_office__code")),
        sorted(Partner.objects.values_list("legal_name", "account_number")),
        sorted(Enrollment.objects.values_list("partner__legal_name", "program", "status")),
        EnrollmentEvent.objects.count(),
        Membership.objects.count(),
        Partner.history.count(),
    )


def test_load_demo_creates_an_account_per_role_and_prints_them(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert set(User.objects.values_list("role", flat=True)) == set(Role)
    for user in User.objects.all():
        assert user.email in out
        assert user.check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in out


def test_load_demo_a_second_time_changes_nothing():
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first


def test_the_demo_covers_every_entity_type_and_status_in_two_offices():
    from partners.choices import EntityType, Program, Status
    from partners.models import Enrollment, Membership, Partner

    call_command("load_demo")
    assert set(Partner.objects.values_list("entity_type", flat=True)) == set(EntityType)
    assert Partner.objects.values("field_office").distinct().count() == 2
    security = set(
        Enrollment.objects.filter(program=Program.SECURITY).values_list("status", flat=True)
    )
    assert security == set(Status) - {Status.ACCEPTED}
    trade = set(
        Enrollment.objects.filter(program=Program.TRADE_COMPLIANCE).values_list("status", flat=True)
    )
    assert {Status.APPLICANT, Status.UNDER_REVIEW, Status.ACCEPTED, Status.SUSPENDED} <= trade
    consultant = User.objects.get(email="consultant@tradeready.example")
    assert Membership.objects.filter(user=consultant, role="consultant").count() == 2


def test_the_readme_lists_the_demo_accounts():
    from pathlib import Path

    from accounts.demo import PEOPLE
    from partners.demo import PARTNER_USERS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for email, *_ in PEOPLE + PARTNER_USERS:
        assert email in readme
    assert DEMO_PASSWORD in readme


# --- What the demo shows (issue 15), each found from the home page ---------------------


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_the_demo_has_an_approved_validation_with_its_real_report_and_open_actions(demo):
    from django.core.files.storage import default_storage
    from pypdf import PdfReader

    from validations.models import IssuedReport, RequiredAction, Validation

    validation = Validation.objects.get(enrollment__partner__legal_name="Acme Imports Inc.")
    assert validation.status == "approved" and validation.outcome_tier == 2
    report = IssuedReport.objects.get(validation=validation)
    assert report.status == "ready"
    with default_storage.open(report.stored_name, "rb") as stored:
        text = "".join(page.extract_text() for page in PdfReader(stored).pages)
    assert "Acme Imports Inc." in text  # the report itself, rendered from the validation
    open_actions = RequiredAction.objects.filter(finding__validation=validation, status="open")
    assert open_actions.count() == 3


def test_the_demo_has_a_failed_validation_whose_suspension_waits_in_the_queue(demo):
    from deadlines.models import Consequence
    from validations.models import Validation

    validation = Validation.objects.get(enrollment__partner__legal_name="Maple Leaf Trading Ltd.")
    assert validation.status == "approved" and validation.failed
    consequence = Consequence.objects.get(partner=validation.enrollment.partner)
    assert consequence.status == "proposed"
    assert consequence.key.startswith(f"failed_validation:{validation.pk}:")


def test_the_demo_has_a_suspended_partner_with_a_plan_and_evidence(demo):
    from partners.models import CorrectiveActionEvidence, CorrectiveActionPlan

    plan = CorrectiveActionPlan.objects.get(
        enrollment__partner__legal_name="Harbor Point Cold Storage"
    )
    assert plan.enrollment.status == "suspended" and plan.status == "submitted"
    assert plan.actions.count() == 2
    evidence = CorrectiveActionEvidence.objects.get(action__plan=plan)
    assert evidence.original_name == "seal-log-first-week.pdf"


def test_the_demo_has_an_appeal_and_a_second_attempt(demo):
    from partners.models import Appeal, Enrollment

    appeal = Appeal.objects.get(enrollment__partner__legal_name="Peace Bridge Brokerage LLC")
    assert appeal.status == "filed" and appeal.appealed_status == "rejected"
    second = Enrollment.attempts.get(
        partner__legal_name="Northstar Freight Forwarding", is_current=True, program="security"
    )
    assert second.attempt == 2 and second.status == "under_review"
    first = Enrollment.attempts.get(partner=second.partner, attempt=1)
    assert first.status == "rejected"


def demo_pages():
    """The demo's showpieces: {what: URL}."""
    from django.urls import reverse

    from partners.models import Partner
    from validations.models import IssuedReport, Validation

    def partner(name):
        return reverse("partners:detail", args=[Partner.objects.get(legal_name=name).pk])

    def validation(name):
        found = Validation.objects.get(enrollment__partner__legal_name=name)
        return reverse("validations:detail", args=[found.pk])

    report = IssuedReport.objects.get(
        validation__enrollment__partner__legal_name="Acme Imports Inc."
    )
    return {
        "approved validation": validation("Acme Imports Inc."),
        "its report": reverse(
            "validations:report_download", args=[report.validation_id, report.pk]
        ),
        "failed validation": validation("Maple Leaf Trading Ltd."),
        "suspended partner with a plan": partner("Harbor Point Cold Storage"),
        "appeal": partner("Peace Bridge Brokerage LLC"),
        "second attempt": partner("Northstar Freight Forwarding"),
    }


@pytest.mark.parametrize("email", ["supervisor@cbp.example", "specialist@cbp.example"])
def test_each_showpiece_is_found_from_the_home_page(client, demo, email):
    from deadlines.models import Consequence
    from tests.crawling import reach

    client.force_login(User.objects.get(email=email))
    wanted = demo_pages()
    found: dict[str, str] = {}
    queue_lists_the_proposal = False
    consequence = Consequence.objects.get(partner__legal_name="Maple Leaf Trading Ltd.")
    every = frozenset({"partners:detail", "validations:detail"})
    for url, _source, response, page in reach(client, "/", most=400, per_route=3, every=every):
        for what, target in wanted.items():
            if url == target and response.status_code == 200:
                found[what] = url
        if url.startswith("/deadlines/consequences/") and page is not None:
            queue_lists_the_proposal |= consequence.label in response.content.decode()
        if len(found) == len(wanted) and queue_lists_the_proposal:
            break
    assert set(found) == set(wanted), f"not found from {email}'s home: {set(wanted) - set(found)}"
    if email.startswith("supervisor"):
        assert queue_lists_the_proposal, "the consequence queue does not show the proposal"
