import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_send_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("role", ["specialist", "supervisor", "partner", "administrator"])
def test_rendered_pages_have_no_inline_script_style_or_remote_asset(client, role):
    client.force_login(UserFactory(**{role: True}))
    for url in (reverse("home"), reverse("benefits:list"), reverse("password_change")):
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts and all("src=" in tag for tag in scripts), url
        assert "<style" not in html and " style=" not in html, url
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_the_idle_session_cookie_is_http_only(client):
    UserFactory(email="a@example.gov")
    client.post(reverse("login"), {"username": "a@example.gov", "password": "x"})
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert client.cookies["sessionid"]["httponly"]
