"""Issue 15, "Done when": a crawl of every page as each role finds no button whose action
is refused.

The world is the demo (`load_demo`): partners in every status in two field offices,
validations under way and finished (an approved one with its report and open required
actions, a failed one whose suspension waits in the consequence queue), document requests,
a suspended partner with its corrective action plan and evidence, appeals, a second attempt,
extension requests and consequences; `more_states` adds an answered required action, a
validation awaiting its supervisor and a planned one. It is loaded once for the module, in
a transaction undone at its end.

For each kind of person the crawl starts at the home page and follows every same-site link
breadth-first (bounded; signing out and the Django admin are skipped). On every page
reached:
- a link must not answer 403 (refused) or 405 (a link to a page that only takes POST);
- each POST form is sent as a browser would send it, with its default values (each named
  submit button once), inside a transaction that is rolled back, and must not answer 403
  or 405 nor meet a rule's refusal: a `can_*` verdict raised by a service's `require()`
  (which the view shows as a message or a form error, not as a 403). A form error about
  the input (a missing reason) is fine: the page offered the form to someone allowed.

A disagreement names the person, the page and the button, e.g.
`officer of Acme: POST /partners/1/... ("Submit") from /partners/1/ was refused: ...`.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

import ctpat.permissions
from accounts.models import User
from ctpat.errors import DomainError
from tests.crawling import reach, route, same_site

pytestmark = pytest.mark.django_db

# (who, demo account): every kind of person the site knows.
PEOPLE = [
    ("administrator", "admin@cbp.example"),
    ("supervisor", "supervisor@cbp.example"),
    ("specialist", "specialist@cbp.example"),
    ("supervisor of another office", "supervisor.lb@cbp.example"),
    ("specialist of another office", "specialist.lb@cbp.example"),
    ("company officer", "officer@acme-imports.example"),
    ("partner user", "user@mapleleaf.example"),
    ("consultant of two partners", "consultant@tradeready.example"),
    ("officer of a suspended partner with a plan", "officer@harborpoint.example"),
    ("officer of a rejected partner that appealed", "officer@transportesdelnorte.example"),
    ("partner admin", "admin@acme-imports.example"),  # added by more_states
    ("team member of a validation", "member@cbp.example"),  # added by more_states
]
MOST_PAGES = 250
# Pages of one kind are crawled at most PER_ROUTE times (one partner's "add a site" form is
# every partner's), except the pages whose actions depend on the object's state.
PER_ROUTE = 3
EVERY = frozenset({"partners:detail", "validations:detail"})


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        more_states()
        yield media
        transaction.set_rollback(True)


def more_states():
    """Beyond the demo: a partner admin of Acme, a specialist on the team (not the lead) of
    Northern Freight's validation, a required action answered (CBP decides it), a validation
    awaiting its supervisor and a planned one with a request not sent yet (Long Beach)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.choices import Role
    from partners.choices import MembershipRole
    from partners.models import Membership, Partner
    from tests.factories import ValidationFactory
    from validations import services as validations
    from validations.models import DocumentRequest, RequiredAction, Validation

    action = RequiredAction.objects.filter(
        finding__validation__enrollment__partner__legal_name="Acme Imports Inc."
    ).first()
    validations.required_action_respond(
        action=action,
        actor=User.objects.get(email="officer@acme-imports.example"),
        response="Seals are now verified by two people and logged.",
    )
    acme = Partner.objects.get(legal_name="Acme Imports Inc.")
    Membership.objects.create(
        partner=acme,
        user=User.objects.create_user(
            "admin@acme-imports.example", "x", full_name="Ada Acme", role=Role.PARTNER
        ),
        role=MembershipRole.ADMIN,
    )
    member = User.objects.create_user(
        "member@cbp.example",
        "x",
        full_name="Morgan Member",
        role=Role.SPECIALIST,
        field_office=acme.field_office,
    )
    northern = Validation.objects.get(enrollment__partner__legal_name="Northern Freight Lines")
    northern.team.add(member)
    today = timezone.localdate()
    lead = User.objects.get(email="specialist.lb@cbp.example")
    approver = User.objects.get(email="supervisor.lb@cbp.example")
    for name, status in [
        ("Transpacific Ocean Carriers", "supervisor_review"),
        ("Manufacturas del Bajío S.A. de C.V.", "planned"),
    ]:
        validation = ValidationFactory(
            enrollment=Partner.objects.get(legal_name=name).enrollments.get(program="security"),
            lead=lead,
            approving_supervisor=approver,
            status=status,
            planned_start=today - timedelta(days=3),
            planned_end=today - timedelta(days=1),
        )
        DocumentRequest.objects.create(
            validation=validation, name="Seal log", due_on=today, requested_by=lead
        )


@pytest.fixture
def world(_demo, db, settings):
    settings.MEDIA_ROOT = _demo  # where the demo's reports and uploads were kept


class RuleRefusal(DomainError):
    """A DomainError raised by `ctpat.permissions.require`: a rule refused the action."""


@pytest.fixture
def refusals(monkeypatch):
    """Every rule refusal raised while the fixture is active, in order."""
    seen: list[str] = []

    class Recorded(RuleRefusal):
        def __init__(self, message, **kwargs):
            super().__init__(message, **kwargs)
            seen.append(message)

    # require() raises the DomainError its module names: this one records itself.
    monkeypatch.setattr(ctpat.permissions, "DomainError", Recorded)
    return seen


def post_refusal(client, form, data, refusals) -> str:
    """Send one form inside a rolled-back transaction; the refusal it met, or ""."""
    refusals.clear()
    fields: dict[str, list[str]] = {}
    for name, value in data:
        fields.setdefault(name, []).append(value)
    with transaction.atomic():
        response = client.post(form.action, fields)
        transaction.set_rollback(True)
    if response.status_code in (403, 405):
        return f"answered {response.status_code}"
    if refusals:
        return f"was refused: {refusals[0]}"
    return ""


@pytest.mark.parametrize("who,email", PEOPLE, ids=[who for who, _ in PEOPLE])
def test_no_page_offers_an_action_that_is_refused(client, world, refusals, who, email):
    user = User.objects.get(email=email)
    client.force_login(user)
    problems: list[str] = []
    sent: set[tuple] = set()
    tried: dict[tuple, int] = {}
    pages = 0
    crawl = reach(client, "/", most=MOST_PAGES, per_route=PER_ROUTE, every=EVERY)
    for url, source, response, page in crawl:
        pages += 1
        if response.status_code in (403, 405):
            problems.append(f"link {url} from {source} answers {response.status_code}")
        if page is None:
            continue
        for form in page.forms:
            target = same_site(form.action)
            if target is None:
                continue
            for data, label in form.submissions():
                key = (target.split("?")[0], tuple(sorted(name for name, _ in data)), label)
                kind = (route(target), label)
                if key in sent or tried.get(kind, 0) >= PER_ROUTE:
                    continue
                sent.add(key)
                tried[kind] = tried.get(kind, 0) + 1
                problem = post_refusal(client, form, data, refusals)
                if problem:
                    problems.append(f"POST {target} ({label!r}) from {url} {problem}")
                client.force_login(user)  # a form may have changed the session
    assert pages > 5, f"{who} reached only {pages} pages"
    assert not problems, f"{who} ({email}):\n" + "\n".join(problems)


def test_the_crawl_sees_a_refusal_by_a_403_and_by_a_rule(client, world, refusals):
    """The check itself: a refused POST is seen whether the view answers 403 or the
    service's rule refuses it and the page only shows the message."""
    from ctpat.permissions import refuse, require
    from partners.models import CorrectiveActionPlan
    from tests.crawling import Form

    plan = CorrectiveActionPlan.objects.get(enrollment__partner__legal_name__startswith="Harbor")
    client.force_login(User.objects.get(email="specialist@cbp.example"))  # not a supervisor
    form = Form(
        page="/",
        action=f"/partners/{plan.enrollment.partner_id}/corrective-action-plans/{plan.pk}/decide/",
    )
    assert post_refusal(client, form, [("decision", "accept")], refusals) == "answered 403"
    with pytest.raises(DomainError):
        require(refuse("Not this one."))
    assert refusals == ["Not this one."]
