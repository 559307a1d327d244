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
