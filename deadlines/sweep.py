"""The deadline sweep: reminders, overdue notices and escalations, each sent exactly once.

Every kind of deadline in the registry (ctpat.deadlines) that offers `due_items` is read
with one set-based query for all partners. For each open item the sweep works out which
notice is due today: a reminder 30, 7 or 1 days before (only the nearest one passed, so a
late first run does not send three at once), an overdue notice from the day after, and an
escalation to the field office's supervisors once it has been overdue for the grace
period. An overdue item whose kind declares consequences proposes each stage to the
supervisors once it is due (the first from the first overdue day, a later one after its
program rule's days), each under its own key. Candidates are inserted into SentNotice
with ON CONFLICT DO NOTHING under a run id; only the rows this run inserted become
notifications, and each person gets one email with all of theirs. Runs are therefore safe to repeat, to overlap, and to redeliver; the number
of queries depends on the number of kinds, not of partners or notices.
"""

import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from ctpat import outbox
from ctpat.bulk import insert_rows
from ctpat.deadlines import OwedBy, due_items, kinds
from ctpat.program_rules import rule_days, rule_int
from notifications.email import render_email
from notifications.models import Notification
from partners.models import Membership

from .models import REMINDER_PREFIX, SentNotice, consequence_subject, reminder
from .services import consequences_propose

Notice = SentNotice.Notice


def _notice_for(days_left: int, grace: int, offsets: tuple[int, ...]):
    """Which notices an item calls for today: (for those who owe it, for CBP). `offsets` are
    the reminder days of its kind, nearest first; only the nearest one passed is sent."""
    if days_left < -grace:
        return Notice.OVERDUE, Notice.ESCALATION
    if days_left < 0:
        return Notice.OVERDUE, None
    for offset in offsets:
        if days_left <= offset:
            return reminder(offset), None
    return None, None


def _reminder_offsets(today: date) -> dict[str, tuple[int, ...]]:
    """Each kind's reminder days, nearest first: its own, or the rule reminder_offsets as in
    force on the day the sweep runs as of."""
    default = tuple(rule_days("reminder_offsets", on=today))
    return {kind.code: tuple(sorted(kind.reminders or default)) for kind in kinds()}


def run_sweep(today: date | None = None) -> dict:
    """One sweep over every deadline kind; returns counts of what it found and sent."""
    today = today or timezone.localdate()
    # The rules in force on the day the sweep runs as of.
    grace = rule_int("deadline_escalation_days", on=today)
    offsets = _reminder_offsets(today)
    until = today + timedelta(days=max(max(o) for o in offsets.values()))
    items = due_items(until)

    partner_ids = {i.partner_id for i in items if i.owed_by == OwedBy.PARTNER}
    members = defaultdict(list)
    for partner_id, user_id in Membership.objects.filter(
        partner_id__in=partner_ids, user__is_active=True
    ).values_list("partner_id", "user_id"):
        members[partner_id].append(user_id)
    supervisors = defaultdict(list)
    for office_id, user_id in User.objects.filter(role=Role.SUPERVISOR, is_active=True).values_list(
        "field_office_id", "id"
    ):
        supervisors[office_id].append(user_id)

    run = uuid.uuid4()
    # (notice key, item, recipient, notice, action): a proposal's notice is recorded under
    # its stage's key, so each stage of an item's consequences is announced once.
    candidates = []
    proposals = []
    after = _stage_days(today)
    for item in items:
        days_left = (item.due_on - today).days
        kind_offsets = offsets[item.key.split(":", 1)[0]]
        to_owner, to_cbp = _notice_for(days_left, grace, kind_offsets)
        if to_owner is None:
            continue
        owners = (
            members[item.partner_id] if item.owed_by == OwedBy.PARTNER else [item.specialist_id]
        )
        recipients = set(filter(None, owners))
        if to_owner == Notice.OVERDUE and item.specialist_id:
            recipients.add(
                item.specialist_id
            )  # the assigned specialist hears of every overdue item
        key = item.notice_key
        candidates += [(key, item, user_id, to_owner, None) for user_id in recipients]
        if to_cbp:
            candidates += [
                (key, item, user_id, to_cbp, None) for user_id in supervisors[item.field_office_id]
            ]
        if to_owner != Notice.OVERDUE:
            continue
        for action in item.consequences:
            # A later stage waits until the item has been overdue beyond its rule's days.
            if -days_left > after.get(action.after_rule, 0):
                proposals.append((item, action))
                stage_key = item.consequence_key(action)
                candidates += [
                    (stage_key, item, user_id, Notice.PROPOSAL, action)
                    for user_id in supervisors[item.field_office_id]
                ]

    # Most candidates of a re-run were sent before: read those back in one query (by the
    # due dates in play) and offer only the rest to the insert, which stays the guard.
    if candidates:
        earliest = min(c[1].due_on for c in candidates)
        already = set(
            SentNotice.objects.filter(due_on__gte=earliest, due_on__lte=until).values_list(
                "key", "recipient_id", "notice"
            )
        )
        candidates = [c for c in candidates if (c[0], c[2], c[3]) not in already]

    with transaction.atomic():
        # The program's consequences become proposals a supervisor decides on, never moves.
        consequences_propose(proposals)
        now = timezone.now()
        insert_rows(
            SentNotice,
            ["key", "recipient", "notice", "due_on", "run", "created_at"],
            [
                (key, user_id, notice, item.due_on, run, now)
                for key, item, user_id, notice, _ in candidates
            ],
            ignore_conflicts=True,
        )
        ours = SentNotice.objects.filter(run=run).values_list("key", "recipient_id", "notice")
        by_key = {(key, notice): (item, action) for key, item, _, notice, action in candidates}
        rows = sorted(ours)
        consequences_url = reverse("deadlines:consequences")
        notes = [
            (
                user_id,
                _title(*by_key[key, notice], notice, today),
                "",
                consequences_url if notice == Notice.PROPOSAL else by_key[key, notice][0].url,
                now,
                # A proposal notice asks for a decision: deciding it marks the notice done.
                consequence_subject(key) if notice == Notice.PROPOSAL else "",
            )
            for key, user_id, notice in rows
        ]
        insert_rows(
            Notification, ["recipient", "title", "body", "url", "created_at", "subject"], notes
        )
        _email_digests(notes, [notice for _, _, notice in rows])
        sent = len(notes)
    return {"items": len(items), "candidates": len(candidates), "sent": sent}


def _stage_days(today: date) -> dict[str, int]:
    """{rule name: days} for every rule that stages a consequence (ConsequenceAction.
    after_rule), as in force on the day the sweep runs as of."""
    names = {action.after_rule for kind in kinds() for action in kind.consequences}
    return {name: rule_int(name, on=today) for name in names if name}


def _title(item, action, notice, today) -> str:
    days = (item.due_on - today).days
    what = f"{item.label}, {item.partner_name}" if item.partner_name else item.label
    if notice == Notice.PROPOSAL:
        return f"Decision needed, overdue since {item.due_on:%B %-d, %Y}: {what} ({action.label})"
    if notice == Notice.ESCALATION:
        return f"Escalated, {-days} days overdue: {what} (due {item.due_on:%B %-d, %Y})"
    if notice == Notice.OVERDUE:
        return f"Overdue: {what} (due {item.due_on:%B %-d, %Y})"
    return f"Reminder: {what}, due {item.due_on:%B %-d, %Y} (in {days} days)"


DIGEST_ITEMS = 50  # notices listed in one email; the count and a link cover the rest


def _email_digests(notes, notices) -> None:
    """One email per person with everything this run told them, sent after commit.

    People who turned reminder emails off still get overdue notices and escalations (and
    every notice in the portal)."""
    by_person = defaultdict(list)
    for note, notice in zip(notes, notices, strict=True):
        by_person[note[0]].append((note, notice))
    people = User.objects.filter(pk__in=by_person, is_active=True).values_list(
        "pk", "email", "reminder_emails"
    )
    site = settings.SITE_URL.rstrip("/")
    emails = []
    for person_id, email, wants_reminders in people:
        items = [
            {"title": n[1], "link": site + n[3]}
            for n, notice in by_person[person_id]
            if wants_reminders or not notice.startswith(REMINDER_PREFIX)
        ]
        if not items:
            continue
        # A long digest is not read past its first screens: the rest wait in the portal.
        context = {
            "items": items[:DIGEST_ITEMS],
            "total": len(items),
            "more": max(0, len(items) - DIGEST_ITEMS),
            "portal": site + reverse("notifications:list"),
        }
        subject, text, html = render_email("deadlines/email/digest", context)
        emails.append({"to": [email], "subject": subject, "text": text, "html": html})
    outbox.enqueue_many("notifications.send_email", emails)
