import pytest
from django.core.management import call_command

from accounts.choices import Role
from accounts.demo import DEMO_PASSWORD
from accounts.models import User

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(User.objects.values_list("email", "password", "role", "field_office__code"))


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


def test_the_readme_lists_the_demo_accounts():
    from pathlib import Path

    from accounts.demo import PEOPLE

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for email, *_ in PEOPLE:
        assert email in readme
    assert DEMO_PASSWORD in readme
