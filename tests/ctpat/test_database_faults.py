"""A lost database connection: a read is answered again, anything else gets the 503 page,
and a form sent again after it does its work once (ctpat/middleware.py, accounts/once.py)."""

import http.client
import threading
import time
import uuid
from contextlib import contextmanager
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlparse

import psycopg2
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from accounts.models import FormSubmission
from partners.models import Site
from tests.factories import PartnerFactory, UserFactory

MARKER = 'data-testid="service-unavailable"'
ALREADY = "This form was already submitted"


@contextmanager
def failing_queries(match: str, times: int | None = None):
    """Queries whose SQL contains `match` raise OperationalError, `times` times (None: always),
    as they would on a connection the database dropped."""
    calls = {"failed": 0}

    def wrapper(execute, sql, params, many, context):
        if match in sql and (times is None or calls["failed"] < times):
            calls["failed"] += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield calls


@pytest.fixture
def closed(monkeypatch):
    """Count the middleware's closing of the connection instead of closing it: this test's
    transaction lives on it."""
    counter = {"n": 0}
    monkeypatch.setattr(
        "ctpat.middleware._close_broken_connections",
        lambda: counter.__setitem__("n", counter["n"] + 1),
    )
    return counter


@pytest.fixture
def specialist_client(db):
    user = UserFactory(specialist=True)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    client.user = user
    return client


def _site_data(**extra):
    return {
        "name": "Dock 4",
        "kind": "domestic",
        "street": "4 Pier",
        "city": "Buffalo",
        "country": "US",
        "submission": str(uuid.uuid4()),
    } | extra


def test_a_read_that_loses_its_connection_in_the_middleware_is_answered_again(
    specialist_client, closed
):
    # The first query of the request is the session's, read by the sign-in check.
    with failing_queries("django_session", times=1) as calls:
        response = specialist_client.get(reverse("partners:list"))
    assert response.status_code == 200
    assert calls["failed"] == 1 and closed["n"] == 1


def test_a_read_that_loses_its_connection_in_the_view_is_answered_again(specialist_client, closed):
    with failing_queries('FROM "partners_partner"', times=1) as calls:
        response = specialist_client.get(reverse("partners:list"))
    assert response.status_code == 200
    assert calls["failed"] == 1 and closed["n"] == 1


def test_a_read_that_fails_twice_gets_the_503_page_in_the_layout(specialist_client, closed):
    with failing_queries('FROM "partners_partner"'):
        response = specialist_client.get(reverse("partners:list"))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.content.decode()
    assert MARKER in page and "nothing was saved twice" in page
    assert "CTPAT Portal" in page  # the site's layout, not a bare error page
    assert closed["n"] == 2


def test_a_session_save_lost_with_the_connection_is_a_503_not_a_bare_400(specialist_client, closed):
    with failing_queries('UPDATE "django_session"'):
        response = specialist_client.get(reverse("partners:list"))
    assert response.status_code == 503
    assert MARKER in response.content.decode()


def test_a_form_is_not_sent_twice_by_the_server_and_can_be_sent_again_after_a_503(
    specialist_client, closed
):
    partner = PartnerFactory(field_office=specialist_client.user.field_office)
    url = reverse("partners:site_add", args=[partner.pk])
    data = _site_data()
    with failing_queries('INSERT INTO "partners_site"') as calls:
        response = specialist_client.post(url, data)
    assert response.status_code == 503 and MARKER in response.content.decode()
    assert calls["failed"] == 1  # a POST is not run a second time by the server
    # The token was claimed in the transaction that failed, so it was released with it.
    assert not FormSubmission.objects.filter(token=data["submission"]).exists()
    assert partner.sites.count() == 0

    assert specialist_client.post(url, data).status_code == 302
    again = specialist_client.post(url, data)
    assert again.status_code == 200 and ALREADY in again.content.decode()
    assert partner.sites.count() == 1


def test_a_503_after_the_form_was_saved_makes_the_resend_say_so(specialist_client, closed):
    partner = PartnerFactory(field_office=specialist_client.user.field_office)
    url = reverse("partners:site_add", args=[partner.pk])
    data = _site_data()
    # Saved, then the connection is lost while the session is written after the response.
    with failing_queries('UPDATE "django_session"'):
        assert specialist_client.post(url, data).status_code == 503
    again = specialist_client.post(url, data)
    assert ALREADY in again.content.decode()
    assert partner.sites.count() == 1


# --- The real thing: backends terminated while a client works -------------------------------


class Browser:
    """A tiny HTTP client with cookies (the project has no `requests`)."""

    def __init__(self, base_url: str):
        parsed = urlparse(base_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, text
        finally:
            conn.close()


def _terminate_backends(dsn: dict, stop: threading.Event, killed: list[int]) -> None:
    """Every 0.3 s, end every other backend of the test database (only that database)."""
    conn = psycopg2.connect(**dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            while not stop.is_set():
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                killed.append(cursor.fetchone()[0])
                stop.wait(0.3)
    finally:
        conn.close()


@pytest.mark.postgresql
def test_terminated_backends_lose_no_write_and_answer_only_the_503_page(
    postgresql, live_server, transactional_db, client
):
    user = UserFactory(specialist=True)
    partner = PartnerFactory(field_office=user.field_office)
    client.force_login(user)
    browser = Browser(live_server.url)
    browser.cookies["sessionid"] = client.cookies["sessionid"].value
    add_site = reverse("partners:site_add", args=[partner.pk])
    status, _, _ = browser.request("GET", add_site)  # sets the CSRF cookie
    assert status == 200 and "csrftoken" in browser.cookies
    pages = [
        reverse("home"),
        reverse("partners:list"),
        reverse("partners:detail", args=[partner.pk]),
        add_site,
        reverse("notifications:list"),
    ]

    settings_dict = connection.settings_dict
    dsn = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
    }
    connection.close()  # this thread's connection would be terminated too
    stop, killed = threading.Event(), []
    terminator = threading.Thread(target=_terminate_backends, args=(dsn, stop, killed))
    answers: list[tuple[str, str, int]] = []
    sent: list[str] = []
    unavailable = 0

    def check(method, path, status, text):
        nonlocal unavailable
        answers.append((method, path, status))
        assert status < 500 or (status == 503 and MARKER in text), (method, path, status)
        assert status in (200, 302, 503), (method, path, status, text[:300])
        unavailable += status == 503

    terminator.start()
    try:
        deadline = time.monotonic() + 8
        n = 0
        while time.monotonic() < deadline:
            for path in pages:
                status, _, text = browser.request("GET", path)
                check("GET", path, status, text)
            n += 1
            data = _site_data(name=f"Dock {n}")
            sent.append(data["name"])
            for _attempt in range(20):  # a person sends the form again after a 503
                status, headers, text = browser.request("POST", add_site, data)
                check("POST", add_site, status, text)
                if status == 503:
                    assert headers["Retry-After"] == "5"
                    continue
                assert status == 302 or ALREADY in text, text[:500]
                break
            else:
                pytest.fail(f"{data['name']} was answered 503 twenty times")
    finally:
        stop.set()
        terminator.join()
        connection.close()

    assert sum(killed) > 0, "no backend was terminated: the test proved nothing"
    names = list(Site.objects.filter(partner=partner).values_list("name", flat=True))
    assert sorted(names) == sorted(sent), "a write was lost or doubled"
    assert len(answers) > 50
    print(f"{len(answers)} answers, {unavailable} of them 503; {sum(killed)} backends ended")


def test_the_drivers_own_connection_errors_count_as_faults():
    """A query iterated in chunks (a select's choices in a template) raises the driver's
    error unwrapped; it is a lost connection all the same (seen in CI: a 500, not a 503)."""
    from django.db import connection

    from ctpat.middleware import is_connection_fault

    assert is_connection_fault(connection.Database.OperationalError("server closed"))
    assert is_connection_fault(connection.Database.InterfaceError("connection already closed"))
    assert not is_connection_fault(ValueError("not the database"))
