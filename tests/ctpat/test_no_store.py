"""What a signed-in person sees, and every download, is sent with Cache-Control: no-store
(ctpat.middleware.NoStoreMiddleware). Each download kind's own test checks its header too:
partner and dashboard CSV exports, stored files, validation, dashboard and benefits PDFs,
the benefits CSV."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from ctpat.middleware import NoStoreMiddleware
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LANDING = {
    "specialist": ["home", "partners:list", "validations:list", "forced_labor:queue"],
    "supervisor": ["home", "dashboard:index", "validations:list", "deadlines:extensions"],
    "administrator": ["home", "dashboard:index", "partners:list", "admin:index"],
}


@pytest.mark.parametrize(
    "role,url_name", [(role, name) for role, names in LANDING.items() for name in names]
)
def test_every_page_a_cbp_user_sees_is_not_stored(client, role, url_name):
    client.force_login(UserFactory(**{role: True}))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    # The admin's own never_cache is stricter still, and is kept.
    assert "no-store" in response["Cache-Control"]


def test_every_page_a_partner_user_sees_is_not_stored(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    for url in [
        reverse("home"),
        reverse("partners:detail", args=[membership.partner_id]),
        reverse("notifications:list"),
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


def test_the_sign_in_page_is_not_stored(client):
    response = client.get(reverse("login"))
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_page_without_a_download_is_left_to_its_view(client):
    response = client.get(reverse("healthz"))
    assert response["Cache-Control"] != "no-store"  # the view's own never_cache


def test_a_download_is_not_stored_even_for_someone_not_signed_in():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/anything")
    request.user = AnonymousUser()

    def download(request):
        response = HttpResponse("a,b\n", content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="x.csv"'
        return response

    assert NoStoreMiddleware(download)(request)["Cache-Control"] == "no-store"
    assert not NoStoreMiddleware(lambda r: HttpResponse("ok"))(request).has_header("Cache-Control")


def test_a_stricter_no_store_the_view_set_is_kept(client):
    request = RequestFactory().get("/anything")
    request.user = UserFactory()

    def strict(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "private, no-store"
        return response

    assert NoStoreMiddleware(strict)(request)["Cache-Control"] == "private, no-store"
