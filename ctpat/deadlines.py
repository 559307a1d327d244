"""The registry of dated obligations.

Each app declares its kinds of deadline in its own `deadlines.py` and registers them as
"deadline_kinds" in its AppConfig.ready(). Pages, the dashboard and the deadline sweep all read the registry, so each date
is computed in exactly one place.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from .registry import registry


class OwedBy:
    PARTNER = "partner"
    CBP = "cbp"


class _Due:
    """What every deadline answers, on the page and in the sweep."""

    # Given by the named tuple each subclass also derives from.
    due_on: date
    owed_by: str

    def days_left(self, today: date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    @property
    def is_overdue(self) -> bool:
        return self.days_left() < 0

    @property
    def owed_by_label(self) -> str:
        return "Partner" if self.owed_by == OwedBy.PARTNER else "CBP"


# Named tuples rather than dataclasses: the sweep builds tens of thousands at a time, and a
# tuple is made several times faster than a frozen dataclass.
class _DeadlineFields(NamedTuple):
    kind: str
    label: str
    due_on: date
    owed_by: str
    opens_on: date | None = None  # before this, it cannot be met yet (a window)
    key: str = ""  # the obligation's key (see deadline_key): extensions refer to it
    extended_from: date | None = None  # the due date before an extension was granted


class Deadline(_Due, _DeadlineFields):
    """One obligation with its due date, as shown to people and swept for reminders."""

    __slots__ = ()

    @property
    def is_open(self) -> bool:
        """Whether it can be met now (its window, if it has one, has opened)."""
        return self.opens_on is None or self.opens_on <= timezone.localdate()


class _DueItemFields(NamedTuple):
    key: str  # the obligation's key (see deadline_key)
    partner_id: int
    due_on: date
    label: str
    url: str
    owed_by: str
    specialist_id: int | None  # who at CBP looks after the partner
    field_office_id: int
    partner_name: str = ""
    # What the program does about it once overdue, proposed to a supervisor: some of its
    # kind's declared ConsequenceActions, in stages (each from its own day overdue, see
    # ConsequenceAction.after_rule), or () for nothing.
    consequences: "tuple[ConsequenceAction, ...]" = ()
    extended_from: date | None = None


class DueItem(_Due, _DueItemFields):
    """One open deadline as the sweep sees it, for every partner at once."""

    __slots__ = ()

    @property
    def notice_key(self) -> str:
        """The key notices are recorded under: a granted extension starts a fresh series of
        reminders for the new date."""
        return f"{self.key}>{self.due_on.isoformat()}" if self.extended_from else self.key

    def consequence_key(self, action: "ConsequenceAction") -> str:
        """The key a proposal of `action` about this item is recorded under, once: the
        notice key for a first stage (as proposals were keyed before stages existed), and
        the notice key with "#<action code>" for a later one."""
        return f"{self.notice_key}#{action.code}" if action.after_rule else self.notice_key


def obligation_key(key: str) -> str:
    """The deadline key a notice or proposal key refers to, whatever its date (">...", after
    an extension) or stage ("#...")."""
    return key.split(">", 1)[0].split("#", 1)[0]


def parse_key(key: str) -> tuple[str, int, date] | None:
    """(kind, object id, original due date) of a deadline key (or of a notice or proposal
    key about one); None for a key in another shape."""
    parts = obligation_key(key).split(":")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    try:
        return parts[0], int(parts[1]), date.fromisoformat(parts[2])
    except ValueError:
        return None


def for_partners(queryset, partner_ids, path: str = "partner_id"):
    """A kind's due-items queryset limited to some partners, or left whole when `partner_ids`
    is None. `partner_ids` may be a list of ids or a queryset of them (`.values("pk")`),
    which runs inside the kind's one query as a subquery."""
    if partner_ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": partner_ids})


def path_maker(url_name: str) -> Callable[[int], str]:
    """The path of a URL with one integer id, for many ids: reverse() once, then substitute.

    The sweep builds tens of thousands of links; reverse() for each would cost seconds."""
    sentinel = 999999937
    template = reverse(url_name, args=[sentinel])
    return lambda object_id: template.replace(str(sentinel), str(object_id))


def deadline_key(kind: str, object_id: int, due_on: date) -> str:
    """Stable for one obligation and its original due date: "<kind>:<object id>:<date>".

    The partner page and the sweep compute the same key for the same obligation, so an
    extension granted from one applies in the other."""
    return f"{kind}:{object_id}:{due_on.isoformat()}"


class NextStep(NamedTuple):
    """What happens after a confirmed consequence, told to the supervisor who confirmed it:
    a sentence and a link to where the next move is made or seen."""

    text: str
    url: str
    link_text: str


class ProposedItem(NamedTuple):
    """What a confirm handler is told of the proposal it acts on."""

    key: str  # the proposal's key (a deadline key, maybe with ">date" and "#stage")
    partner_id: int
    label: str  # the overdue item's label when proposed
    url: str  # the item's page ("" for proposals recorded before it was kept)
    due_on: date


@dataclass(frozen=True)
class ConsequenceAction:
    """What an overdue obligation proposes to a supervisor, declared by the app that owns the
    obligation. The deadlines app stores `code` on the proposal and, when a supervisor
    confirms, calls `confirm(actor=..., partner_id=..., reason=..., item=ProposedItem)` in
    the decision's transaction; the handler makes the change through its own app's services
    and returns the NextStep the supervisor is shown, or raises ctpat.errors.DomainError to
    say why it cannot (the decision is then not recorded).

    `after_rule` stages it: the name of a program rule (days) the item must have been overdue
    beyond before this is proposed (a suspension after a flag); "" proposes it from the
    first overdue day."""

    code: str
    label: str | Promise  # a lazily translated string, read when shown or stored
    effect: str | Promise  # what confirming does, in words for the supervisor's button
    program: str = ""  # the program it concerns: the dashboard's program filter
    confirm: Callable[..., "NextStep | None"] | None = None
    after_rule: str = ""


@dataclass(frozen=True)
class DeadlineKind:
    """One kind of dated obligation, declared by the app that owns it in its deadlines.py.

    `code` starts every key of its deadlines ("<code>:<object id>:<due date>"). The date is
    computed twice, by design: `for_partner` in Python from objects a page already loaded, and
    `due_items` with one set-based query for every partner (the sweep); tests/deadlines
    prove the two agree for every registered kind."""

    code: str
    label: str
    owed_by: str
    # Deadlines of this kind for one partner, from objects its page already loaded.
    for_partner: Callable[..., Iterable[Deadline]]
    # Every open deadline of this kind due on or before `until`, in one set-based query:
    # for all partners (the sweep), or, given `partner_ids`, for those only (a home page).
    # None: the sweep does not cover this kind yet.
    due_items: Callable[..., Iterable[DueItem]] | None = None
    program: str = ""  # the program it belongs to ("" when either: a suspension letter)
    # Days before the due date a reminder goes out; empty: the rule reminder_offsets.
    reminders: tuple[int, ...] = ()
    # What an overdue item of this kind may propose (DueItem.consequences are among these).
    consequences: tuple[ConsequenceAction, ...] = ()


class ExtensionSource(Protocol):
    """Where granted extensions come from; the deadlines app registers the one there is as
    the "deadline_extensions" extension point (ctpat.registry)."""

    def granted(self, partner_ids, until: date | None) -> dict[str, date]:
        """{deadline key: new due date} for partners in `partner_ids` (None: every partner),
        limited to original due dates on or before `until` when given."""

    def running(self, kind: str, object_id, today: date) -> Q:
        """A condition, for querysets whose `object_id` expression names the obligation's
        object, that a granted extension of it runs past today."""

    def extendable(self, user, partner, deadlines) -> set[str]:
        """The keys among `deadlines` (of `partner`) this person may ask more time on."""


class ConsequenceQueue(Protocol):
    """Where proposed consequences wait for a supervisor; the deadlines app registers the one
    there is as the "consequence_proposals" extension point, so an app below it (validations)
    proposes one without importing it."""

    def propose(
        self,
        *,
        key: str,
        partner_id: int,
        action: "ConsequenceAction",
        label: str,
        due_on: date,
        url: str = "",
    ) -> bool:
        """Record the proposal once per `key`; True when this call recorded it."""


def propose_consequence(
    *, key: str, partner_id: int, action: ConsequenceAction, label: str, due_on: date, url: str
) -> bool:
    """Put a decision's consequence (one registered under "consequence_actions") in the
    supervisors' queue, with the page of what it is about (`url`). False when it was there
    already or no queue is installed."""
    queues = registry["consequence_proposals"]
    if not queues:
        return False
    return queues[0].propose(
        key=key, partner_id=partner_id, action=action, label=label, due_on=due_on, url=url
    )


def _extension_source() -> ExtensionSource | None:
    sources = registry["deadline_extensions"]
    return sources[0] if sources else None


def _granted(partner_ids, until: date | None) -> dict[str, date]:
    source = _extension_source()
    return source.granted(partner_ids, until) if source else {}


def extendable_keys(user, partner, deadlines) -> set[str]:
    """The keys of the partner's deadlines on which this person may ask for more time: the
    page offers "Ask for more time" on exactly these (the deadlines app's rule)."""
    source = _extension_source()
    return source.extendable(user, partner, deadlines) if source else set()


def running_extension(kind: str, object_id, today: date) -> Q:
    """A granted extension of the `kind` deadline of the object `object_id` runs past today
    (an overdue count leaves such items out)."""
    source = _extension_source()
    return source.running(kind, object_id, today) if source else Q(pk__in=[])


def extended(items, extensions: dict[str, date]):
    """The items with any granted extension applied: the new date replaces the old."""
    for item in items:
        new_due = extensions.get(item.key)
        if new_due and new_due != item.due_on:
            yield item._replace(due_on=new_due, extended_from=item.due_on)
        else:
            yield item


def kinds() -> list[DeadlineKind]:
    """Every registered kind (the "deadline_kinds" extension point)."""
    return list(registry["deadline_kinds"])


def kind_of_key(key: str) -> DeadlineKind | None:
    """The registered kind a deadline key belongs to."""
    code = key.split(":", 1)[0]
    return next((kind for kind in kinds() if kind.code == code), None)


def consequence_actions() -> list[ConsequenceAction]:
    """Every consequence the registered kinds may propose, and those a decision proposes."""
    return [action for kind in kinds() for action in kind.consequences] + list(
        registry["consequence_actions"]
    )


def proposed_by_a_decision(code: str) -> bool:
    """Whether the consequence `code` is one a decision proposes (a failed validation), with
    no deadline behind it to be met or extended."""
    return any(action.code == code for action in registry["consequence_actions"])


def consequence_action(code: str) -> ConsequenceAction | None:
    """A declared consequence by its stored code."""
    return next((action for action in consequence_actions() if action.code == code), None)


def deadlines_for_partner(partner, **loaded) -> list[Deadline]:
    """Every open deadline of a partner, soonest first.

    `loaded` passes objects the caller already fetched (enrollments, ...), so that
    computing deadlines adds no queries.
    """
    found = [d for kind in kinds() for d in kind.for_partner(partner, **loaded)]
    found = extended(found, _granted([partner.pk], None))
    return sorted(found, key=lambda d: d.due_on)


def due_items(until: date, partner_ids=None) -> list[DueItem]:
    """Every open deadline due on or before `until`, extensions applied: of every partner,
    or of those in `partner_ids` (ids, or a queryset of ids such as a specialist's
    partners). One query per kind and one for extensions, however many rows.

    Extensions only move a date later, so the kinds' queries (on the original dates) find
    every item that can be due; those moved past `until` drop out."""
    found = [
        item
        for kind in kinds()
        if kind.due_items
        for item in kind.due_items(until, partner_ids=partner_ids)
    ]
    extensions = _granted(partner_ids, until)
    return [item for item in extended(found, extensions) if item.due_on <= until]
