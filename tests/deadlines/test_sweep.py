"""The deadline sweep, walked through time by passing the day it runs as of."""

import threading
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from deadlines.models import SentNotice
from deadlines.sweep import run_sweep
from notifications.models import Notification
from tests.factories import EnrollmentFactory, MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

APPLIED = date(2026, 1, 1)  # certification decision due 90 days later: 2026-04-01
DUE = APPLIED + timedelta(days=90)


@pytest.fixture
def application():
    specialist = UserFactory(specialist=True)
    supervisor = UserFactory(supervisor=True, field_office=specialist.field_office)
    partner = PartnerFactory(
        field_office=specialist.field_office,
        specialist=specialist,
        security={"status": "under_review", "applied_on": APPLIED},
    )
    return {"partner": partner, "specialist": specialist, "supervisor": supervisor}


def notices():
    return sorted(SentNotice.objects.values_list("notice", "recipient_id"))


def test_a_cbp_deadline_reminds_the_specialist_then_is_overdue_then_escalates(application):
    specialist = application["specialist"].pk
    run_sweep(DUE - timedelta(days=40))
    assert notices() == []
    run_sweep(DUE - timedelta(days=10))  # CBP owes it: the specialist is reminded
    assert notices() == [("reminder_30", specialist)]
    run_sweep(DUE + timedelta(days=1))
    assert notices() == [("overdue", specialist), ("reminder_30", specialist)]
    run_sweep(DUE + timedelta(days=15))  # past the 14-day grace
    assert ("escalation", application["supervisor"].pk) in notices()


def test_a_rerun_sends_nothing_twice(application):
    first = run_sweep(DUE + timedelta(days=20))
    second = run_sweep(DUE + timedelta(days=20))
    assert first["sent"] == 2 and second["sent"] == 0  # overdue and escalation
    assert Notification.objects.count() == 2


def test_partner_deadlines_remind_at_30_7_and_1_days_only_the_nearest(application):
    partner = application["partner"]
    officer = MembershipFactory(partner=partner, officer=True).user
    suspended = EnrollmentFactory(
        partner=PartnerFactory(field_office=partner.field_office, security=False),
        status="suspended",
        suspended_on=date(2026, 1, 1),
    )
    member = MembershipFactory(partner=suspended.partner).user
    response_due = date(2026, 1, 1) + timedelta(days=90)
    run_sweep(response_due - timedelta(days=5))  # a first run late: only the 7-day reminder
    assert [n for n in notices() if n[1] == member.pk] == [("reminder_7", member.pk)]
    run_sweep(response_due - timedelta(days=1))
    assert ("reminder_1", member.pk) in notices()
    assert officer.pk not in [r for _, r in notices()]


def test_closed_enrollments_have_no_deadlines(application):
    enrollment = application["partner"].enrollments.get()
    enrollment.status = "withdrawn"
    enrollment.save()
    assert run_sweep(DUE + timedelta(days=30))["items"] == 0


def test_the_command_runs_the_same_sweep(application, capsys):
    call_command("enforce_deadlines", "--today", (DUE + timedelta(days=1)).isoformat())
    assert "1 notices sent" in capsys.readouterr().out


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_notice_once(postgresql, catalogue, application):
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            results.append(run_sweep(DUE + timedelta(days=20))["sent"])
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(results) == 2
    assert SentNotice.objects.count() == 2 and Notification.objects.count() == 2


def test_each_person_gets_one_email_with_all_their_notices(
    application, mailoutbox, django_capture_on_commit_callbacks
):
    PartnerFactory(
        field_office=application["partner"].field_office,
        specialist=application["specialist"],
        security={"status": "applicant", "applied_on": APPLIED},
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(DUE + timedelta(days=2))
    to_specialist = [m for m in mailoutbox if m.to == [application["specialist"].email]]
    assert len(to_specialist) == 1
    assert to_specialist[0].body.count("Overdue: Certification decision, ") == 2


# Sizes under one INSERT batch on SQLite (its 999-parameter limit splits bulk inserts every
# ~160 rows; PostgreSQL takes 2,000 per batch): beyond that, one query per batch is added.
@pytest.mark.parametrize("partners", [2, 8])
def test_the_sweep_query_count_does_not_grow_with_partners(
    application, partners, django_assert_max_num_queries
):
    office, specialist = application["partner"].field_office, application["specialist"]
    for _ in range(partners):
        p = PartnerFactory(
            field_office=office,
            specialist=specialist,
            security={"status": "under_review", "applied_on": APPLIED},
        )
        MembershipFactory(partner=p)
        # Every other kind: an annual review, a letter, forced-labor documentation with its
        # proposed suspension, a revalidation, a suspension letter.
        trader = PartnerFactory(field_office=office, specialist=specialist, security=False)
        EnrollmentFactory(
            partner=trader,
            validated=True,
            certified_on=date(2020, 1, 6),
            last_validated_on=date(2021, 1, 6),
        )
        EnrollmentFactory(partner=trader, trade_accepted=True, accepted_on=date(2021, 2, 1))
        MembershipFactory(partner=trader)
        EnrollmentFactory(
            partner=PartnerFactory(field_office=office, security=False),
            status="suspended",
            suspended_on=date(2026, 1, 5),
        )
    # 24: the digest emails are one insert of outbox rows, however many people; 25 since
    # issue 16 added a kind (a Security Profile submitted half blank).
    with django_assert_max_num_queries(25):
        run_sweep(DUE + timedelta(days=20))


def test_reminder_emails_can_be_turned_off_but_overdue_notices_still_go(
    client, application, mailoutbox, django_capture_on_commit_callbacks
):
    specialist = application["specialist"]
    client.force_login(specialist)
    client.post("/accounts/preferences/", {})  # the box left unticked
    specialist.refresh_from_db()
    assert specialist.reminder_emails is False
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(DUE - timedelta(days=3))  # a reminder: in the portal only
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=specialist).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(DUE + timedelta(days=1))  # overdue: by email too
    assert [m.to for m in mailoutbox] == [[specialist.email]]


@pytest.mark.parametrize(
    "old, new",
    [
        ("/notifications/extensions/?status=pending", "/deadlines/extensions/?status=pending"),
        ("/notifications/extensions/7/", "/deadlines/extensions/7/"),
        (
            "/notifications/partners/3/extensions/new/?key=k",
            "/deadlines/partners/3/extensions/new/?key=k",
        ),
        ("/notifications/consequences/", "/deadlines/consequences/"),
    ],
)
def test_old_addresses_of_extensions_and_consequences_redirect(client, old, new):
    client.force_login(UserFactory(supervisor=True))
    response = client.get(old)
    assert response.status_code == 301
    assert response.url == new
