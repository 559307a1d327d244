"""Who may ask for more time, decide on it, and decide on a proposed consequence.

Predicates in the shape of ctpat.permissions: read by deadlines.services (require), its
views (deny) and the pages that offer the action (the partner page and the partner's home
page reach `can_ask_for_extension` through ctpat.deadlines.extendable_keys, since partners
does not import this app).
"""

from collections.abc import Collection, Sequence
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext

from accounts.choices import CBP_STAFF, SUPERVISORS, Role
from accounts.models import User
from ctpat.deadlines import (
    Deadline,
    DueItem,
    OwedBy,
    due_items,
    obligation_key,
    proposed_by_a_decision,
)
from ctpat.permissions import ALLOWED, Verdict, first_refusal, refuse
from partners.models import Partner, partner_scope

from .models import Consequence, ExtensionRequest


def _in_scope(user: User, partner: Partner, what: str) -> Verdict:
    if Partner.objects.filter(partner_scope(user), pk=partner.pk).exists():
        return ALLOWED
    return refuse(f"You may not {what} for {partner.legal_name}.")


def _already_decided(thing: ExtensionRequest | Consequence, noun: str) -> Verdict:
    return refuse(
        f"This {noun} was already {thing.get_status_display().lower()} by {thing.decided_by} "
        f"on {timezone.localtime(thing.decided_at):%B %-d, %Y}."
    )


def _extensible(deadline: Deadline, pending_keys: Collection[str] | None) -> Verdict:
    if deadline.owed_by != OwedBy.PARTNER:
        return refuse("That deadline is CBP's to meet; the partner cannot extend it.")
    waiting = (
        deadline.key in pending_keys
        if pending_keys is not None
        else ExtensionRequest.objects.filter(
            key=deadline.key, status=ExtensionRequest.Status.PENDING
        ).exists()
    )
    if waiting:
        return refuse(f"An extension of “{deadline.label}” is already waiting for a decision.")
    return ALLOWED


def can_ask_for_extension(
    user: User,
    partner: Partner,
    deadline: Deadline | None = None,
    *,
    pending_keys: Collection[str] | None = None,
) -> Verdict:
    """A user of the partner that owes the deadline asks for more time on it, once at a time.

    `pending_keys`: the keys with a request awaiting a decision, when the caller read them
    (a page with many deadlines reads them in one query)."""

    def who() -> Verdict:
        if user.role == Role.PARTNER:
            return ALLOWED
        return refuse("Extensions are asked for by the partner that owes the deadline.")

    return first_refusal(
        who,
        lambda: _in_scope(user, partner, "ask for an extension"),
        lambda: ALLOWED if deadline is None else _extensible(deadline, pending_keys),
    )


def can_decide_extension(user: User, request: ExtensionRequest) -> Verdict:
    """CBP staff of the partner's office (administrators everywhere) grant or deny."""

    def who() -> Verdict:
        if user.role in CBP_STAFF:
            return ALLOWED
        return refuse("Only CBP staff decide on extension requests.")

    def pending() -> Verdict:
        if request.status == ExtensionRequest.Status.PENDING:
            return ALLOWED
        return _already_decided(request, "request")

    return first_refusal(
        who, lambda: _in_scope(user, request.partner, "decide on extensions"), pending
    )


def can_view_consequences(user: User) -> Verdict:
    if user.role in SUPERVISORS:
        return ALLOWED
    return refuse("Supervisors decide on the consequences of overdue obligations.")


def can_decide_consequence(user: User, consequence: Consequence) -> Verdict:
    """Supervisors of the partner's office (administrators everywhere) confirm or dismiss."""

    return first_refusal(
        can_view_consequences(user),
        lambda: _in_scope(user, consequence.partner, "decide on consequences"),
        lambda: _proposed(consequence),
    )


def _proposed(consequence: Consequence) -> Verdict:
    if consequence.status == Consequence.Status.PROPOSED:
        return ALLOWED
    return _already_decided(consequence, "proposal")


def open_deadlines(partner_ids: Collection[int]) -> dict[str, DueItem]:
    """Every open deadline of these partners by key, extensions applied: one query per kind
    however many partners (the consequence list reads it once for all its rows)."""
    until = timezone.localdate() + timedelta(days=OPEN_HORIZON_DAYS)
    return {item.key: item for item in due_items(until, partner_ids=list(partner_ids))}


# Far enough ahead that every open deadline is due before it (certification anniversaries,
# four-year revalidations, a granted extension of at most a year).
OPEN_HORIZON_DAYS = 3660 * 2


def _still_overdue(consequence: Consequence, open_items: dict[str, DueItem]) -> Verdict:
    """A proposal stands only while its deadline is open and overdue: an extension granted
    since, or the obligation met, leaves nothing to confirm (only to dismiss). A proposal a
    decision made (a failed validation) has no deadline: its handler judges the partner's
    state when confirmed."""
    if proposed_by_a_decision(consequence.kind):
        return ALLOWED
    item = open_items.get(obligation_key(consequence.key))  # the obligation, any date or stage
    if item is None:
        return refuse(
            gettext(
                "The obligation is no longer owed: it has been met, or the enrollment has moved "
                "on, since this was proposed; dismiss the proposal."
            )
        )
    if item.due_on >= timezone.localdate():
        return refuse(
            f"An extension moved this deadline to {item.due_on:%B %-d, %Y}, so it is not "
            "overdue; dismiss the proposal."
        )
    return ALLOWED


def can_confirm_consequence(
    user: User,
    consequence: Consequence,
    *,
    open_items: dict[str, DueItem] | None = None,
    in_scope: bool = False,
) -> Verdict:
    """Confirming (the program acts) needs everything deciding needs, and the deadline still
    overdue. `open_items`: open_deadlines() of the partner, when the caller read it for many;
    `in_scope`: the caller fetched the consequence through the person's scope already."""
    decide = (
        first_refusal(can_view_consequences(user), lambda: _proposed(consequence))
        if in_scope
        else can_decide_consequence(user, consequence)
    )
    return first_refusal(
        decide,
        lambda: _still_overdue(
            consequence,
            open_items if open_items is not None else open_deadlines([consequence.partner_id]),
        ),
    )


def extendable(user: User, partner: Partner, deadlines: Sequence[Deadline]) -> set[str]:
    """The keys of a partner's deadlines this person may ask more time on."""
    return extendable_among(user, [(partner, deadlines)])


def extendable_among(
    user: User, companies: Sequence[tuple[Partner, Sequence[Deadline]]]
) -> set[str]:
    """The keys, among (partner, deadlines) pairs, on which this person may ask for more
    time: can_ask_for_extension for each, in two queries whatever the number of partners
    (the scope, and the requests awaiting a decision)."""
    if user.role != Role.PARTNER or not companies:
        return set()
    in_scope = set(
        Partner.objects.filter(
            partner_scope(user), pk__in=[partner.pk for partner, _ in companies]
        ).values_list("pk", flat=True)
    )
    keys = [d.key for partner, deadlines in companies if partner.pk in in_scope for d in deadlines]
    pending = set(
        ExtensionRequest.objects.filter(
            key__in=keys, status=ExtensionRequest.Status.PENDING
        ).values_list("key", flat=True)
    )
    return {
        d.key
        for partner, deadlines in companies
        if partner.pk in in_scope
        for d in deadlines
        if _extensible(d, pending)
    }
