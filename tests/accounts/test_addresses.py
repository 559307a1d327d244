"""One spelling per address: stored and looked up normalized (NFKC, then case-folded)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.admin import UserCreationForm
from accounts.models import User, normalize_email
from partners import services as partner_services
from tests.factories import PASSWORD, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = import_module("accounts.migrations.0006_addresses_and_sessions")


def test_an_address_is_nfkc_then_case_folded_and_stripped():
    assert normalize_email("  Pat.Doe@Example.GOV ") == "pat.doe@example.gov"
    assert normalize_email("ſpecialist@example.gov") == "specialist@example.gov"  # long s
    assert normalize_email("ｓpecialist@ＥＸＡＭＰＬＥ.gov") == "specialist@example.gov"
    assert normalize_email("KELVIN@example.gov") == "kelvin@example.gov"  # Kelvin sign
    # Casefold keeps the dotless i apart: another address.
    assert normalize_email("specıalist@example.gov") == "specıalist@example.gov"


def test_sign_in_finds_the_account_by_exact_match_on_the_normalized_address():
    user = UserFactory(email="specialist@example.gov")
    assert User.objects.get_by_natural_key("SPECIALIST@example.gov") == user
    assert User.objects.get_by_natural_key("ſpecialist@example.gov") == user
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key("specıalist@example.gov")
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key("SPECİALIST@example.gov")


def test_the_model_and_the_admin_store_the_normalized_address():
    user = User(email="ſam@EXAMPLE.gov", full_name="Sam", role="partner")
    user.clean()
    assert user.email == "sam@example.gov"
    form = UserCreationForm(
        data={
            "email": "Ｎew@Example.GOV",
            "full_name": "New Person",
            "role": "partner",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        }
    )
    assert form.is_valid(), form.errors
    assert form.save().email == "new@example.gov"


def test_the_admin_refuses_a_second_spelling_of_an_existing_address():
    UserFactory(email="sam@example.gov")
    form = UserCreationForm(
        data={
            "email": "SAM@example.gov",
            "full_name": "Sam Again",
            "role": "partner",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        }
    )
    assert not form.is_valid()
    assert "email" in form.errors


def test_password_reset_finds_the_account_as_sign_in_does(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="specialist@example.gov")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "specıalist@example.gov"})
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "ſpecialist@EXAMPLE.gov"})
    assert [m.to for m in mailoutbox] == [["specialist@example.gov"]]


def test_invitations_are_sent_to_and_matched_on_the_normalized_address():
    specialist = UserFactory(specialist=True)
    partner = PartnerFactory(field_office=specialist.field_office)
    invitation, _ = partner_services.invitation_create(
        actor=specialist,
        partner=partner,
        email=" Ｐat@Invite.EXAMPLE ",
        role="user",
        base_url="http://testserver/",
    )
    assert invitation.email == "pat@invite.example"


def test_the_migration_normalizes_existing_addresses():
    user = UserFactory(email="casey@example.gov")
    User.objects.filter(pk=user.pk).update(email=" Casey@Example.GOV")
    migration.normalize_addresses(apps, None)
    user.refresh_from_db()
    assert user.email == "casey@example.gov"


def test_the_migration_refuses_addresses_that_become_one_and_names_them():
    one = UserFactory(email="casey@example.gov")
    two = UserFactory(email="other@example.gov")
    User.objects.filter(pk=two.pk).update(email="CASEY@example.gov")
    with pytest.raises(RuntimeError, match="one address once normalized") as refused:
        migration.normalize_addresses(apps, None)
    assert f"#{one.pk} 'casey@example.gov'" in str(refused.value)
    assert f"#{two.pk} 'CASEY@example.gov'" in str(refused.value)
    two.refresh_from_db()
    assert two.email == "CASEY@example.gov"  # nothing was changed


def test_a_person_signs_in_with_a_spelling_that_normalizes_to_their_address(client):
    user = UserFactory(email="specialist@example.gov")
    response = client.post(
        reverse("login"), {"username": "ſpecialist@example.gov", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
