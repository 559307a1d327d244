"""No query string makes a page answer 5xx.

The test walks the URLconf for every page without a path argument (every list, the
dashboard, the admin's change lists), opens each as a signed-in specialist, supervisor,
administrator and partner user of the demo data, and sends junk to every query parameter
the page reads. The parameter names come from three places, so a new filter is covered
without touching this file:

- the page itself: every field of its GET forms and every parameter of its links;
- the view's source: a FilterSet or form bound to request.GET (its declared filters or
  fields) and every `request.GET.get("name")`;
- the usual names: page, sort, order, o, q, p.

A 400, a 404 or the page with a message is fine; a 5xx is not. Runs on SQLite and on
PostgreSQL (which refuses a NUL in a string: one reaching a query would be a 500).
"""

import inspect
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User
from tests.factories import UserFactory

ROLES = {
    "specialist": "specialist@cbp.example",
    "supervisor": "supervisor@cbp.example",
    "administrator": "admin@cbp.example",
    "partner": "officer@acme-imports.example",
}
USUAL = {"page", "sort", "order", "o", "q", "p"}
JUNK = [
    "abc",
    "-1",
    "0",
    str(10**30),
    "1.5",
    "no-such-choice",
    "x" * 5000,
    "ſpecıal",
    "𝒜",
    "\u202e",
    "a\x00b",
    "\x00",
    "2026-13-45",
    "0000-00-00",
    "9999-12-31",
    "",
    "'",
    "1 OR 1=1",
]
# Pages that do something other than list: signing out, downloads a test elsewhere checks.
SKIPPED = {"logout", "favicon.ico", "healthz", "password_reset_done", "password_reset_complete"}

pytestmark = pytest.mark.django_db


def _pages(patterns=None, prefix="", names=()):
    """Every URL in the URLconf whose route takes no argument, with its view."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route or "(" in route:
            continue
        route = route.lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from _pages(entry.url_patterns, prefix + route, names)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route, entry.callback


def _source_parameters(view) -> set[str]:
    """The query parameters a view reads, from its source: request.GET.get("x"), and the
    filters or fields of a FilterSet or form it binds to request.GET."""
    view = inspect.unwrap(getattr(view, "view_class", view))
    try:
        source = inspect.getsource(view)
        module = inspect.getmodule(view)
    except (OSError, TypeError):
        return set()
    names = set(re.findall(r"request\.GET\.get\(\s*[\"'](\w+)[\"']", source))
    # A helper that binds the form (dashboard._dashboard) is followed one step.
    helpers = [getattr(module, n, None) for n in re.findall(r"\b(_\w+)\(request", source)]
    for helper in [h for h in helpers if inspect.isfunction(h)]:
        source += inspect.getsource(helper)
    for class_name in re.findall(r"(\w+)\(\s*request\.GET", source):
        bound = getattr(module, class_name, None)
        declared = getattr(bound, "base_filters", None) or getattr(bound, "base_fields", {})
        for name in declared:
            # Range filters read name_min/name_max, name_after/name_before.
            names |= {name, f"{name}_min", f"{name}_max", f"{name}_after", f"{name}_before"}
    return names


def _page_parameters(html: str) -> set[str]:
    """The fields of the page's GET forms and the parameters of its links."""
    names = set()
    for form in re.findall(r"<form\b[^>]*method=\"get\"[^>]*>(.*?)</form>", html, re.S | re.I):
        names |= set(re.findall(r"\bname=\"([^\"]+)\"", form))
    for href in re.findall(r"href=\"(\?[^\"]*)\"", html):
        names |= {k for k, _ in parse_qsl(urlsplit(href.replace("&amp;", "&")).query)}
    return names - {"csrfmiddlewaretoken"}


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module in a transaction undone at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("role", ROLES)
def test_no_junk_in_a_query_string_makes_a_page_fail(client, _demo, role):
    client.force_login(User.objects.get(email=ROLES[role]))
    client.raise_request_exception = False  # a 500 is counted, not raised
    failures, tried = [], 0
    for url, view in _pages():
        if url.rstrip("/").rsplit("/", 1)[-1] in SKIPPED or "logout" in url:
            continue
        plain = client.get(url)
        if plain.status_code != 200 or "html" not in plain.get("Content-Type", ""):
            continue
        names = sorted(USUAL | _source_parameters(view) | _page_parameters(plain.text))
        # Each junk value in every parameter at once; every value in each parameter at
        # once (?x=a&x=b...); and each parameter alone with a non-number, as one can stop the
        # page early (?export=abc is a 404) before the others are read.
        queries = [[(name, value) for name in names] for value in JUNK]
        queries.append([(name, value) for name in names for value in JUNK])
        queries += [[(name, "abc")] for name in names]
        for query in queries:
            tried += 1
            response = client.get(url + "?" + urlencode(query))
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url}?{urlencode(query)[:160]}")
    assert tried > 100
    assert not failures, "\n".join(failures)


def test_a_nul_in_the_query_string_is_answered_400(client):
    client.force_login(UserFactory(administrator=True))
    response = client.get("/partners/?q=a%00b")
    assert response.status_code == 400
    assert "That address cannot be read" in response.text
    assert client.get("/partners/?q%00=1").status_code == 400


@pytest.mark.parametrize("url", ["/forced-labor/", "/forced-labor/queue/"])
def test_a_malformed_office_in_the_review_queue_is_left_out_with_a_message(client, url):
    client.force_login(UserFactory(specialist=True))
    response = client.get(url, {"office": "abc", "partner": str(10**30)})
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in response.text
