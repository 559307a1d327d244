"""Each role sees its own sections, and the sections guard themselves to match."""

import re

import pytest
from django.urls import reverse

from accounts.choices import Role
from accounts.navigation import NAVIGATION
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLE_TRAITS = {
    Role.SPECIALIST: "specialist",
    Role.SUPERVISOR: "supervisor",
    Role.PARTNER: "partner",
    Role.ADMINISTRATOR: "administrator",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_its_navigation(client, role):
    client.force_login(UserFactory(**{ROLE_TRAITS[role]: True}))
    html = client.get(reverse("home")).content.decode()
    for item in NAVIGATION:
        link = f'href="{item.url}"'
        if role in item.roles:
            assert link in html, f"{role} should see {item.label}"
        else:
            assert link not in html, f"{role} should not see {item.label}"


@pytest.mark.parametrize("role", list(Role))
def test_each_section_opens_for_its_roles_and_refuses_the_others(client, role):
    client.force_login(UserFactory(**{ROLE_TRAITS[role]: True}))
    for item in NAVIGATION:
        response = client.get(item.url)
        if role in item.roles:
            assert response.status_code == 200, f"{role} -> {item.url}"
        elif item.url_name.startswith("admin:"):
            assert response.status_code == 302, f"{role} -> {item.url}"
            assert response.url.startswith(reverse("admin:login"))
        else:
            assert response.status_code == 403, f"{role} -> {item.url}"
            assert "You cannot open this page" in response.content.decode()


def test_the_signed_in_person_and_role_are_shown(client):
    user = UserFactory(supervisor=True, full_name="Sam Supervisor", field_office__name="Buffalo")
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "Sam Supervisor · CBP supervisor, Buffalo" in html


def test_the_current_section_is_marked(client):
    client.force_login(UserFactory(specialist=True))
    html = client.get(reverse("partners:list")).content.decode()
    assert re.search(rf'href="{reverse("partners:list")}"\s+aria-current="page"', html)
