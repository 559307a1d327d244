"""A notification that asks for a decision is done once its subject is decided (issue 15:
"'…waits for your review' stays new after the validation is approved or returned")."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from ctpat.deadlines import deadlines_for_partner
from deadlines import services as deadline_services
from deadlines.models import Consequence
from notifications.models import Notification
from notifications.services import mark_done, notify
from partners import services as partner_services
from partners.models import Enrollment
from tests.deadlines import test_deadline_walk as walk
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
)
from validations.deadlines import SUSPEND_SECURITY

pytestmark = pytest.mark.django_db

# The deadline walk's partner, office and frozen clock.
world, trade_partner, at, sweep = walk.world, walk.trade_partner, walk.at, walk.sweep


def asking(subject):
    return Notification.objects.filter(subject=subject)


# --- The notification itself --------------------------------------------------------------


def test_mark_done_settles_every_notification_of_the_subject_and_no_other():
    a, b, decider = UserFactory(), UserFactory(), UserFactory(full_name="Dana Decider")
    notify(recipients=[a, b], title="Decide appeal 1", subject="appeal:1", email=False)
    notify(recipients=[a], title="Decide appeal 2", subject="appeal:2", email=False)
    notify(recipients=[a], title="Just news", email=False)

    assert mark_done("appeal:1", by=decider) == 2

    done = Notification.objects.filter(done_at__isnull=False)
    assert sorted(done.values_list("title", flat=True)) == ["Decide appeal 1"] * 2
    assert set(done.values_list("done_by", flat=True)) == {decider.pk}
    # Deciding again finds nothing left to settle; an empty subject settles nothing.
    assert mark_done("appeal:1", by=decider) == 0
    assert mark_done("") == 0
    assert Notification.objects.filter(done_at__isnull=True).count() == 2


def test_a_done_notification_leaves_the_unread_count_and_reads_done_in_the_list(client):
    user, decider = UserFactory(), UserFactory(full_name="Dana Decider")
    notify(recipients=[user], title="Report of Acme waits", subject="validation-review:9")
    notify(recipients=[user], title="Something else", email=False)
    client.force_login(user)
    assert 'data-testid="unread-count">2<' in client.get(reverse("home")).text

    mark_done("validation-review:9", by=decider)

    assert 'data-testid="unread-count">1<' in client.get(reverse("home")).text
    page = client.get(reverse("notifications:list")).text
    done = page.split('data-testid="notification-done"')[1].split("</li>")[0]
    assert "Report of Acme waits" in done and "Done: decided by Dana Decider on" in done
    assert ">new<" not in done
    assert page.count(">new<") == 1  # the other one


def test_a_decision_rolled_back_leaves_its_notifications_waiting():
    user = UserFactory()
    notify(recipients=[user], title="Decide", subject="appeal:3", email=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        mark_done("appeal:3")
        raise RuntimeError("the decision failed")
    assert Notification.objects.get().done_at is None


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_with_done_notifications_keeps_its_query_count(
    client, count, django_assert_num_queries
):
    user = UserFactory()
    for n in range(count):
        notify(recipients=[user], title=f"Decide {n}", subject=f"appeal:{n}", email=False)
        mark_done(f"appeal:{n}", by=UserFactory())
    client.force_login(user)
    # As many as the list without done ones (test_notifications.py): who decided is joined.
    with django_assert_num_queries(10):
        response = client.get(reverse("notifications:list"))
    assert response.text.count('data-testid="notification-done"') == min(count, 30)


# --- Each kind of decision ---------------------------------------------------------------------


@pytest.fixture
def office():
    supervisor = UserFactory(supervisor=True, full_name="Sam Supervisor")
    colleague = UserFactory(supervisor=True, field_office=supervisor.field_office)
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    return {"supervisor": supervisor, "colleague": colleague, "partner": partner}


def suspended(partner, supervisor):
    enrollment = EnrollmentFactory(partner=partner, validated=True)
    partner_services.enrollment_suspend(
        enrollment=enrollment, actor=supervisor, reason="Seizure", cause="incident"
    )
    return Enrollment.objects.get(pk=enrollment.pk)


def test_an_appeal_decided_marks_done_the_supervisors_notifications(office):
    supervisor, partner = office["supervisor"], office["partner"]
    enrollment = suspended(partner, supervisor)
    officer = MembershipFactory(partner=partner, officer=True).user
    appeal = partner_services.appeal_file(enrollment=enrollment, actor=officer, grounds="Not us")
    subject = partner_services.appeal_subject(appeal)
    assert asking(subject).count() == 2  # both supervisors of the office
    assert not asking(subject).filter(done_at__isnull=False).exists()

    partner_services.appeal_decide(appeal=appeal, actor=supervisor, upheld=False, reason="Stands")

    assert asking(subject).filter(done_at__isnull=False, done_by=supervisor).count() == 2
    # The decision form refuses now: the notifications point at the partner's page.
    assert set(asking(subject).values_list("url", flat=True)) == {
        reverse("partners:detail", args=[partner.pk])
    }


def test_a_corrective_action_plan_decided_marks_done_the_supervisors_notifications(office):
    supervisor, partner = office["supervisor"], office["partner"]
    enrollment = suspended(partner, supervisor)
    officer = MembershipFactory(partner=partner, officer=True).user
    plan = partner_services.corrective_action_plan_save(
        enrollment=enrollment,
        actor=officer,
        summary="Two-person seal checks",
        actions=[{"objective": "Seals", "owner": "Dock lead", "due_on": date.today()}],
        submit=True,
    )
    subject = partner_services.plan_subject(plan)
    assert asking(subject).filter(done_at__isnull=True).count() == 2

    partner_services.corrective_action_plan_decide(
        plan=plan, actor=office["colleague"], accept=False, reason="Name the owner"
    )

    assert asking(subject).filter(done_by=office["colleague"]).count() == 2
    # Submitted again: a new question, waiting until it is decided in its turn.
    partner_services.corrective_action_plan_save(
        enrollment=enrollment,
        actor=officer,
        summary="Two-person seal checks, owned by the dock lead",
        actions=[{"objective": "Seals", "owner": "Dock lead", "due_on": date.today()}],
        submit=True,
    )
    assert asking(subject).filter(done_at__isnull=True).count() == 2


def test_an_extension_decided_marks_done_the_specialists_notification(world):
    partner, specialist = world["partner"], world["specialist"]
    with at(date(2026, 3, 5)):
        key = next(
            d.key
            for d in deadlines_for_partner(partner, enrollments=[world["enrollment"]])
            if d.kind == "profile_review"
        )
        request = deadline_services.extension_request(
            actor=world["officer"],
            partner=partner,
            key=key,
            requested_until=date(2026, 4, 9),
            reason="On leave",
        )
        [asked] = asking(request.notification_subject)
        assert asked.recipient == specialist and asked.done_at is None

        deadline_services.extension_decide(
            actor=specialist, request=request, grant=False, until=None, note="Not this time"
        )
    asked.refresh_from_db()
    assert asked.done_at is not None and asked.done_by == specialist


def test_a_consequence_decided_marks_done_its_proposal_notifications(office):
    supervisor, partner = office["supervisor"], office["partner"]
    EnrollmentFactory(partner=partner, validated=True)
    key = f"failed_validation:1:{date.today().isoformat()}"
    assert deadline_services.consequence_propose(
        key=key, partner_id=partner.pk, action=SUSPEND_SECURITY, label="Failed", due_on=date.today()
    )
    proposal = Consequence.objects.get(key=key)
    assert asking(proposal.notification_subject).filter(done_at__isnull=True).count() == 2

    deadline_services.consequence_decide(
        actor=supervisor, consequence=proposal, confirm=False, reason="A new validation is set"
    )

    assert asking(proposal.notification_subject).filter(done_by=supervisor).count() == 2


def test_the_sweeps_decision_needed_notice_is_done_when_the_proposal_is_decided(
    world, trade_partner
):
    supervisor = world["supervisor"]
    sweep(date(2026, 11, 28))
    # The forced-labor proposal (the partner may owe other overdue items too).
    [proposal] = Consequence.objects.filter(partner=trade_partner, kind="suspend_trade_compliance")
    [notice] = Notification.objects.filter(
        recipient=supervisor,
        title__startswith="Decision needed",
        subject=proposal.notification_subject,
    )
    assert notice.subject == proposal.notification_subject and notice.done_at is None

    with at(date(2026, 11, 28)):
        deadline_services.consequence_decide(
            actor=supervisor, consequence=proposal, confirm=False, reason="Talking to them"
        )
    notice.refresh_from_db()
    assert notice.done_at is not None and notice.done_by == supervisor


def test_an_extension_granted_settles_the_proposals_it_dismisses(world, trade_partner):
    """Granting an extension dismisses what was proposed for the old date: those proposals'
    notifications are done too."""
    supervisor, specialist = world["supervisor"], world["specialist"]
    sweep(date(2026, 11, 28))
    [proposal] = Consequence.objects.filter(partner=trade_partner, kind="suspend_trade_compliance")
    with at(date(2026, 11, 28)):
        request = deadline_services.extension_request(
            actor=trade_partner.memberships.get().user,
            partner=trade_partner,
            key=proposal.key,
            requested_until=date(2026, 12, 20),
            reason="Being translated",
        )
        deadline_services.extension_decide(
            actor=specialist, request=request, grant=True, until=None, note="Fine"
        )
    proposal.refresh_from_db()
    assert proposal.status == "dismissed"
    assert asking(proposal.notification_subject).get(recipient=supervisor).done_at is not None
