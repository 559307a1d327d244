"""Program rules as data: the accessor, the admin that changes them, the sweep that reads them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ctpat.models import ProgramRule
from ctpat.program_rules import UnknownRule, rule
from deadlines.models import SentNotice
from deadlines.sweep import run_sweep
from tests.factories import PartnerFactory, UserFactory, set_rule

pytestmark = pytest.mark.django_db


def test_the_seeded_rules_hold_the_values_the_code_had():
    assert rule("certification_decision_days") == 90
    assert rule("revalidation_months") == 48
    assert rule("deadline_escalation_days") == 14
    assert rule("reminder_offsets") == (30, 7, 1)
    assert rule("extension_max_days") == 180
    assert rule("forced_labor_existing_partners_due") == date(2023, 8, 1)


def test_it_picks_the_value_by_effective_date():
    set_rule("deadline_escalation_days", 10, effective_from=date(2030, 1, 1))
    set_rule("deadline_escalation_days", 5, effective_from=date(2031, 1, 1))
    assert rule("deadline_escalation_days", on=date(2029, 12, 31)) == 14
    assert rule("deadline_escalation_days", on=date(2030, 1, 1)) == 10
    assert rule("deadline_escalation_days", on=date(2030, 12, 31)) == 10
    assert rule("deadline_escalation_days", on=date(2031, 6, 1)) == 5


def test_a_changed_rule_is_read_at_once():
    assert rule("invitation_valid_days") == 7
    set_rule("invitation_valid_days", 3)
    assert rule("invitation_valid_days") == 3


def test_an_unknown_name_is_refused():
    with pytest.raises(UnknownRule, match="certification_decision_dayz"):
        rule("certification_decision_dayz")


def test_a_day_before_the_first_value_is_refused():
    with pytest.raises(UnknownRule, match="no value in force on 1999-12-31"):
        rule("deadline_escalation_days", on=date(1999, 12, 31))


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(administrator=True))
    return client


def add_url():
    return reverse("admin:ctpat_programrule_add")


def form(**fields):
    return {
        "name": "deadline_escalation_days",
        "value": "3",
        "unit": "days",
        "source": "the project's reading",
        "reason": "Supervisors asked to hear sooner.",
        **fields,
    }


def test_a_row_in_force_cannot_be_edited_or_deleted_in_the_admin(admin_client):
    seeded = ProgramRule.objects.get(name="deadline_escalation_days")
    change = reverse("admin:ctpat_programrule_change", args=[seeded.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and b'name="value"' not in page.content  # read only
    answer = admin_client.post(change, form(effective_from="2000-01-01"))
    assert answer.status_code == 403
    delete = reverse("admin:ctpat_programrule_delete", args=[seeded.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    seeded.refresh_from_db()
    assert seeded.value == "14"


def test_a_future_row_can_be_edited_but_not_moved_into_the_past(admin_client):
    future = set_rule("deadline_escalation_days", 10, effective_from=date(2099, 1, 1))
    change = reverse("admin:ctpat_programrule_change", args=[future.pk])
    assert (
        admin_client.post(change, form(effective_from="2099-01-01", value="9")).status_code == 302
    )
    assert rule("deadline_escalation_days", on=date(2099, 1, 1)) == 9
    answer = admin_client.post(change, form(effective_from="2020-01-01"))
    assert "A rule cannot be changed in the past" in answer.content.decode()


def test_the_admin_refuses_a_value_that_does_not_fit_the_unit_and_a_missing_reason(admin_client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    answer = admin_client.post(add_url(), form(value="two weeks", effective_from=tomorrow))
    assert "Enter a whole number." in answer.content.decode()
    answer = admin_client.post(add_url(), form(unit="months", effective_from=tomorrow))
    assert "deadline_escalation_days is counted in days." in answer.content.decode()
    answer = admin_client.post(add_url(), form(reason="", effective_from=tomorrow))
    assert answer.status_code == 200  # the form again, with "This field is required."
    assert not ProgramRule.objects.filter(effective_from=tomorrow).exists()


def test_the_escalation_days_changed_in_the_admin_are_used_by_the_next_sweep(client):
    """The issue's test: an administrator changes the escalation from 14 days overdue to 3,
    from a day on; the sweep escalates 3 days after the due date from then on, where the
    old rule waited 14, and before that day it still follows the old rule."""
    admin = UserFactory(administrator=True)
    client.force_login(admin)
    effective = timezone.localdate() + timedelta(days=30)
    due = effective - timedelta(days=5)
    specialist = UserFactory(specialist=True)
    supervisor = UserFactory(supervisor=True, field_office=specialist.field_office)
    PartnerFactory(
        field_office=specialist.field_office,
        specialist=specialist,
        security={"status": "under_review", "applied_on": due - timedelta(days=90)},
    )

    answer = client.post(add_url(), form(effective_from=effective.isoformat()))
    assert answer.status_code == 302, answer.content.decode()
    row = ProgramRule.objects.get(name="deadline_escalation_days", effective_from=effective)
    assert (row.value, row.changed_by, row.history.get().history_user) == ("3", admin, admin)

    def escalated():
        return SentNotice.objects.filter(
            notice=SentNotice.Notice.ESCALATION, recipient=supervisor
        ).exists()

    run_sweep(today=effective - timedelta(days=1))  # 4 days overdue, the 14-day rule
    assert not escalated()
    run_sweep(today=effective)  # 5 days overdue: past the new 3 days, short of the old 14
    assert escalated()


def test_the_admin_lists_the_rules_and_their_history(admin_client):
    seeded = ProgramRule.objects.get(name="deadline_escalation_days")
    listing = admin_client.get(reverse("admin:ctpat_programrule_changelist"))
    assert listing.status_code == 200 and b"deadline_escalation_days" in listing.content
    history = reverse("admin:ctpat_programrule_history", args=[seeded.pk])
    assert admin_client.get(history).status_code == 200


def test_only_administrators_reach_the_rules_in_the_admin(client):
    client.force_login(UserFactory(supervisor=True))
    answer = client.get(reverse("admin:ctpat_programrule_changelist"))
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]


def test_the_sweep_reminds_at_the_offsets_of_the_rule():
    set_rule("reminder_offsets", "60,30,14,2")
    specialist = UserFactory(specialist=True)
    due = date(2026, 1, 1) + timedelta(days=90)
    PartnerFactory(
        field_office=specialist.field_office,
        specialist=specialist,
        security={"status": "under_review", "applied_on": date(2026, 1, 1)},
    )
    run_sweep(today=due - timedelta(days=50))  # inside the first reminder, 60 days before
    assert list(SentNotice.objects.values_list("notice", flat=True)) == ["reminder_60"]
    run_sweep(today=due - timedelta(days=10))
    assert SentNotice.objects.filter(notice="reminder_14").exists()
    assert not SentNotice.objects.filter(notice="reminder_30").exists()  # only the nearest
    assert str(SentNotice.objects.get(notice="reminder_14")).startswith("Reminder, 14 days before")


def _rule_form(**fields):
    return {
        "name": "deadline_escalation_days",
        "value": "3",
        "unit": "days",
        "source": "The project's reading",
        "reason": "Testing",
        **fields,
    }


def test_reverting_a_rule_in_force_to_an_earlier_version_is_refused(admin_client):
    """simple-history's revert page saves without asking the change permission; a rule in
    force is not edited that way either."""
    today = timezone.localdate()
    add = reverse("admin:ctpat_programrule_add")
    admin_client.post(add, _rule_form(value="10", effective_from="2099-01-01"))
    row = ProgramRule.objects.get(name="deadline_escalation_days", effective_from=date(2099, 1, 1))
    change = reverse("admin:ctpat_programrule_change", args=[row.pk])
    admin_client.post(change, _rule_form(value="20", effective_from=today.isoformat()))
    first = row.history.order_by("history_id").first()
    revert = reverse("admin:ctpat_programrule_simple_history", args=[row.pk, first.history_id])

    answer = admin_client.post(revert, _rule_form(value="999", effective_from=today.isoformat()))

    assert answer.status_code == 403
    row.refresh_from_db()
    assert row.value == "20" and rule("deadline_escalation_days") == 20


@pytest.mark.parametrize(
    "name, value",
    [
        ("certification_decision_days", "99999999"),
        ("revalidation_months", "999999999"),
        ("reminder_offsets", "30,7,99999999"),
    ],
)
def test_a_value_beyond_the_calendar_is_refused_with_a_message(admin_client, name, value):
    unit = ProgramRule.objects.filter(name=name).values_list("unit", flat=True).first()
    tomorrow = timezone.localdate() + timedelta(days=1)
    answer = admin_client.post(
        reverse("admin:ctpat_programrule_add"),
        _rule_form(name=name, unit=unit, value=value, effective_from=tomorrow.isoformat()),
    )
    assert answer.status_code == 200
    assert "Enter at most" in answer.content.decode() or "each at most" in answer.content.decode()
    assert not ProgramRule.objects.filter(name=name, effective_from=tomorrow).exists()
