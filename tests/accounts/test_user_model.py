import pytest
from django.db import IntegrityError

from accounts.choices import Role
from accounts.models import User
from tests.factories import FieldOfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_stored_lowercase():
    user = User.objects.create_user(
        "  Pat.Doe@Example.GOV ", "a-long-password", full_name="Pat Doe", role=Role.PARTNER
    )
    assert user.email == "pat.doe@example.gov"
    assert User.objects.get_by_natural_key("PAT.DOE@example.gov") == user


def test_only_administrators_may_use_the_admin_site():
    assert UserFactory(administrator=True).is_staff
    for role in ("specialist", "supervisor", "partner"):
        assert not UserFactory(**{role: True}).is_staff


def test_a_specialist_without_field_office_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="x@example.gov", full_name="X", role=Role.SPECIALIST)])


def test_create_user_explains_a_missing_field_office():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="need"):
        User.objects.create_user(
            "y@example.gov", "pw-long-enough", full_name="Y", role="specialist"
        )


def test_createsuperuser_makes_an_administrator():
    user = User.objects.create_superuser("root@example.gov", "pw-long-enough", is_staff=True)
    assert user.role == Role.ADMINISTRATOR
    assert user.is_staff and user.has_perm("accounts.change_user")


def test_admin_rights_come_from_the_role_alone():
    specialist = UserFactory(specialist=True)
    assert not specialist.is_staff
    assert not specialist.has_perm("accounts.change_user")
    assert not specialist.has_module_perms("accounts")


def test_field_office_users_are_listed_with_their_office():
    office = FieldOfficeFactory(name="Buffalo", code="buffalo")
    assert str(UserFactory(field_office=office, full_name="Casey Doe")) == "Casey Doe"
