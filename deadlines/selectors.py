"""Reads of extension requests and consequences, and the extension source the deadline
registry applies wherever deadlines are read (registered in DeadlinesConfig.ready())."""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Concat

from accounts.models import User
from ctpat.deadlines import consequence_action, kinds
from partners.models import partner_scope

from . import permissions
from .models import Consequence, ExtensionRequest


def granted_extensions(
    partner_ids: Iterable[int] | QuerySet[Any, Any] | None = None, until: date | None = None
) -> dict[str, date]:
    """{deadline key: new due date} for every granted extension (the latest wins).

    The registry (ctpat.deadlines) reads this; `until` limits it to original due dates the
    sweep can see."""
    granted = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.GRANTED)
    if partner_ids is not None:
        # A queryset of ids stays a subquery; anything else is read once.
        ids = partner_ids if isinstance(partner_ids, QuerySet) else list(partner_ids)
        granted = granted.filter(partner_id__in=ids)
    if until is not None:
        granted = granted.filter(due_on__lte=until)
    rows = granted.order_by("decided_at", "pk").values_list("key", "granted_until")
    # A granted request always has its date (constraint
    # dl_granted_extension_has_date); the test only
    # tells the type checker so.
    return {key: until for key, until in rows if until is not None}


def running_extension(kind: str, object_id: Combinable, today: date) -> Q:
    """A granted extension of the `kind` deadline of the object `object_id` (an expression,
    e.g. OuterRef("pk")) runs past today: keys start "<kind>:<object id>:"."""
    prefix = Concat(Value(f"{kind}:"), Cast(object_id, CharField()), Value(":"))
    return Q(
        Exists(
            ExtensionRequest.objects.filter(
                status=ExtensionRequest.Status.GRANTED,
                granted_until__gte=today,
                key__startswith=prefix,
            )
        )
    )


def open_consequences(user: User) -> QuerySet[Consequence]:
    """Proposals awaiting a decision that this person may see, soonest due first."""
    return (
        Consequence.objects.filter(partner_scope(user, "partner"))
        .filter(status=Consequence.Status.PROPOSED)
        .select_related("partner")
    )


def decided_consequences(user: User) -> QuerySet[Consequence]:
    """Decided proposals this person may see, the latest decision first."""
    return (
        Consequence.objects.filter(partner_scope(user, "partner"))
        .exclude(status=Consequence.Status.PROPOSED)
        .select_related("partner", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def extension_requests_for(user: User) -> QuerySet[ExtensionRequest]:
    """Extension requests this person may see: a partner user its companies', CBP staff
    their office's (all for administrators)."""
    return ExtensionRequest.objects.filter(partner_scope(user, "partner")).select_related(
        "partner", "requested_by", "decided_by"
    )


def _program_of_key() -> Case:
    """The program of a deadline key's registered kind, in SQL (keys start "<kind>:")."""
    return Case(
        *[
            When(key__startswith=f"{kind.code}:", then=Value(str(kind.program)))
            for kind in kinds()
            if kind.program
        ],
        default=Value(""),
    )


def dashboard_rows(today: date) -> Iterator[dict[str, Any]]:
    """Rows of (panel, bucket, office, specialist, entity_type, value): consequences
    awaiting a supervisor and extension requests awaiting CBP, by kind."""
    dims = {
        "dim_office": F("partner__field_office_id"),
        "dim_specialist": F("partner__specialist_id"),
        "dim_entity": F("partner__entity_type"),
    }
    for row in (
        Consequence.objects.filter(status=Consequence.Status.PROPOSED)
        .values(**dims, bucket=F("kind"))
        .annotate(value=Count("pk"))
        .order_by()
    ):
        action = consequence_action(row["bucket"])
        yield {"panel": "consequences", "program": action.program if action else "", **row}
    for row in (
        ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
        .values(**dims, program=_program_of_key())
        .annotate(value=Count("pk"))
        .order_by()
    ):
        yield {"panel": "extensions", "bucket": "pending", **row}


def pending_extension_requests(
    user: User, *, specialist: User | None = None
) -> QuerySet[ExtensionRequest]:
    """Requests waiting for a decision that this person may see, soonest original due date
    first; `specialist` keeps those of the partners that specialist looks after."""
    pending = extension_requests_for(user).filter(status=ExtensionRequest.Status.PENDING)
    if specialist:
        pending = pending.filter(partner__specialist=specialist)
    return pending.order_by("due_on", "pk")


class _Extensions:
    """The extension source the deadline registry reads (ctpat.deadlines.ExtensionSource)."""

    granted = staticmethod(granted_extensions)
    running = staticmethod(running_extension)
    extendable = staticmethod(permissions.extendable)


EXTENSIONS = _Extensions()
