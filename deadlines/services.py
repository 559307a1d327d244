"""Decisions about deadlines: extension requests and the consequences of overdue items.

Every decision is stored with who made it, when and why, and the partner's timeline shows
it. What confirming a consequence does belongs to the app that owns the deadline (its
ConsequenceAction's confirm handler); this module knows no kind of deadline by name.
"""

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.choices import Role
from accounts.models import User
from ctpat.deadlines import ConsequenceAction, DueItem, deadlines_for_partner
from ctpat.errors import DomainError
from ctpat.permissions import require
from ctpat.program_rules import rule_int
from notifications.services import mark_done, notify
from partners.models import Enrollment, Membership, Partner

from . import permissions
from .models import Consequence, ExtensionRequest

# The longest extension a partner may ask for at once, from the due date (or today, if it
# has passed), is the rule extension_max_days; a longer delay is a conversation with the
# specialist, not a form. The most CBP may grant at once, from the original due date (or
# today, if that is later), is extension_grant_max_days. Both as in force on the day asked.


def _members(partner_id: int) -> list[User]:
    return [m.user for m in Membership.objects.filter(partner_id=partner_id).select_related("user")]


def _office_supervisors(partner: Partner) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.SUPERVISOR, is_active=True, field_office_id=partner.field_office_id
        )
    )


def extension_request(
    *, actor: User, partner: Partner, key: str, requested_until: date, reason: str
) -> ExtensionRequest:
    """A partner user asks for more time on one deadline the partner owes."""
    require(permissions.can_ask_for_extension(actor, partner))
    enrollments = list(Enrollment.objects.filter(partner=partner))
    deadline = next(
        (d for d in deadlines_for_partner(partner, enrollments=enrollments) if d.key == key), None
    )
    if deadline is None:
        raise DomainError("That deadline is not open any more; nothing was requested.")
    require(permissions.can_ask_for_extension(actor, partner, deadline))
    if not reason.strip():
        raise DomainError(
            "Say why more time is needed; the specialist decides on it.", field="reason"
        )
    if requested_until <= timezone.localdate():
        raise DomainError("Ask for a date in the future.", field="requested_until")
    if requested_until <= deadline.due_on:
        raise DomainError(
            f"Ask for a date after the current due date ({deadline.due_on:%B %-d, %Y}).",
            field="requested_until",
        )
    # Counted from today for a deadline already past: more time from now on.
    most = rule_int("extension_max_days")
    if (requested_until - max(deadline.due_on, timezone.localdate())).days > most:
        raise DomainError(
            f"An extension may add at most {most} days; "
            "talk to your specialist about a longer delay.",
            field="requested_until",
        )
    original_due = deadline.extended_from or deadline.due_on
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                partner=partner,
                key=key,
                deadline_label=deadline.label,
                due_on=original_due,
                requested_until=requested_until,
                reason=reason.strip(),
                requested_by=actor,
            )
    except IntegrityError:
        raise DomainError(
            f"An extension of “{deadline.label}” is already waiting for a decision."
        ) from None
    notify(
        recipients=[partner.specialist] if partner.specialist else _office_supervisors(partner),
        title=f"Extension asked: {deadline.label}, {partner.legal_name} "
        f"(to {requested_until:%B %-d, %Y})",
        body=reason,
        url=reverse("deadlines:extension", args=[request.pk]),
        subject=request.notification_subject,
    )
    return request


def extension_decide(
    *, actor: User, request: ExtensionRequest, grant: bool, until: date | None, note: str
) -> ExtensionRequest:
    """A specialist (or supervisor) grants a new due date, or denies with a reason."""
    with transaction.atomic():
        locked = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        require(permissions.can_decide_extension(actor, locked))
        if grant:
            until = until or locked.requested_until
            if until <= locked.due_on or until <= timezone.localdate():
                raise DomainError(
                    f"The new due date must be in the future and after the original one "
                    f"({locked.due_on:%B %-d, %Y}).",
                    field="until",
                )
            most = rule_int("extension_grant_max_days")
            if (until - max(locked.due_on, timezone.localdate())).days > most:
                raise DomainError(
                    f"An extension may move a deadline by at most {most} days.", field="until"
                )
            locked.status = ExtensionRequest.Status.GRANTED
            locked.granted_until = until
        else:
            if not note.strip():
                raise DomainError(
                    "Give the reason for the denial; the partner reads it.", field="note"
                )
            locked.status = ExtensionRequest.Status.DENIED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = note.strip()
        locked.save()
        mark_done(locked.notification_subject, by=actor)
        if grant:
            # What the program proposed to do about the old date no longer stands.
            proposed = list(
                Consequence.objects.filter(
                    # Every stage, about the original date or an earlier extended one.
                    Q(key=locked.key)
                    | Q(key__startswith=f"{locked.key}>")
                    | Q(key__startswith=f"{locked.key}#"),
                    status=Consequence.Status.PROPOSED,
                )
            )
            dismissal = {
                "status": Consequence.Status.DISMISSED,
                "decided_by": actor,
                "decided_at": timezone.now(),
                "reason": f"Extension granted to {locked.granted_until:%B %-d, %Y}.",
            }
            Consequence.objects.filter(
                pk__in=[c.pk for c in proposed], status=Consequence.Status.PROPOSED
            ).update(**dismissal)
            changed = []
            for consequence in proposed:  # the update sends no signal: recorded here
                before = {name: getattr(consequence, name) for name in dismissal}
                for name, value in dismissal.items():
                    setattr(consequence, name, value)
                changed.append((consequence, before))
                mark_done(consequence.notification_subject, by=actor)
            audit.record_updated(changed)
        verdict = f"granted to {locked.granted_until:%B %-d, %Y}" if grant else "denied"
        notify(
            recipients=_members(locked.partner_id),
            title=f"Extension {verdict}: {locked.deadline_label}",
            body=locked.decision_note,
            url=reverse("deadlines:extension", args=[locked.pk]),
        )
    return locked


def consequences_propose(proposals: Iterable[tuple[DueItem, ConsequenceAction]]) -> None:
    """Record each (overdue item, stage of its consequence) the sweep found due, once per
    key (DueItem.consequence_key: a re-run or a concurrent sweep finds it there), with the
    item's page. Supervisors hear of it through the sweep's own once-only notices."""
    wanted = {item.consequence_key(action): (item, action) for item, action in proposals}
    if not wanted:
        return
    # A re-run finds nearly all of them recorded: read those back in one query and offer
    # only the rest to the insert, which stays the guard.
    earliest = min(item.due_on for item, _ in wanted.values())
    recorded = set(Consequence.objects.filter(due_on__gte=earliest).values_list("key", flat=True))
    Consequence.objects.bulk_create(
        [
            Consequence(
                key=key,
                partner_id=item.partner_id,
                kind=action.code,
                label=str(action.label),
                deadline_label=item.label,
                due_on=item.due_on,
                url=item.url,
            )
            for key, (item, action) in wanted.items()
            if key not in recorded
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )


def consequence_propose(
    *,
    key: str,
    partner_id: int,
    action: ConsequenceAction,
    label: str,
    due_on: date,
    url: str = "",
) -> bool:
    """Record one consequence a decision proposes (a failed validation's suspension), once per
    key, with the page of the decision (`url`), and tell the field office's supervisors;
    True when this call recorded it."""
    with transaction.atomic():
        consequence, created = Consequence.objects.get_or_create(
            key=key,
            defaults={
                "partner_id": partner_id,
                "kind": action.code,
                "label": str(action.label),
                "deadline_label": label,
                "due_on": due_on,
                "url": url,
            },
        )
        if created:
            notify(
                recipients=_office_supervisors(consequence.partner),
                title=_("Proposed for your decision: %(label)s (%(partner)s)")
                % {"label": action.label, "partner": consequence.partner.legal_name},
                url=reverse("deadlines:consequences"),
                subject=consequence.notification_subject,
            )
    return created


class _Queue:
    """The "consequence_proposals" extension point (ctpat.deadlines.ConsequenceQueue)."""

    def propose(self, **kwargs) -> bool:
        return consequence_propose(**kwargs)


QUEUE = _Queue()


def consequence_decide(
    *, actor: User, consequence: Consequence, confirm: bool, reason: str
) -> Consequence:
    """A supervisor confirms (and the program acts) or dismisses a proposed consequence.

    The returned consequence carries `next_step`: the NextStep the action's handler gave
    (what happens now, with a link), or None for a dismissal."""
    with transaction.atomic():
        locked = Consequence.objects.select_for_update().get(pk=consequence.pk)
        require(permissions.can_decide_consequence(actor, locked))
        if not reason.strip():
            raise DomainError(
                "Give a reason for the decision; it goes on the partner's record.",
                field="reason",
            )
        next_step = None
        if confirm:
            require(permissions.can_confirm_consequence(actor, locked))
            action = locked.action
            if action is None or action.confirm is None:
                raise DomainError(
                    _("No app declares what this proposal's action does any more; dismiss it.")
                )
            next_step = action.confirm(
                actor=actor,
                partner_id=locked.partner_id,
                reason=reason.strip(),
                item=locked.proposed_item(),
            )
        locked.status = Consequence.Status.CONFIRMED if confirm else Consequence.Status.DISMISSED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.reason = reason.strip()
        locked.save()
        mark_done(locked.notification_subject, by=actor)
    locked.next_step = next_step
    return locked
