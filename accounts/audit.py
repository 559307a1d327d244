"""The audit log's one way in: `record()`.

A request's actor, address and browser are kept for the length of the request by
`AuditContextMiddleware`, so a service deep below the view records who acted without
being handed the request. Outside a request (a Celery task, a management command) the
actor is the system, named by `acting_as()`.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models
from django.http import HttpRequest

from ctpat.models import RenderedReport, StoredDocument
from ctpat.net import client_ip

from .choices import AuditEventType
from .models import AuditEvent, User

USER_AGENT_MAX = 300


@dataclass(frozen=True)
class Context:
    request: HttpRequest | None = None
    system: str = ""
    reason: str = ""

    @property
    def user(self) -> User | None:
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None

    @property
    def ip(self) -> str | None:
        return client_ip(self.request) if self.request is not None else None

    @property
    def user_agent(self) -> str:
        if self.request is None:
            return ""
        return self.request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]


_NOBODY = Context()
_context: ContextVar[Context | None] = ContextVar("audit_context", default=None)


def current() -> Context:
    return _context.get() or _NOBODY


@contextmanager
def acting_as(*, request: HttpRequest | None = None, system: str = "") -> Iterator[None]:
    """Records written inside are by the request's user, or by the named system job; a
    reason given around it (`because`) still holds."""
    token = _context.set(Context(request=request, system=system, reason=current().reason))
    try:
        yield
    finally:
        _context.reset(token)


@contextmanager
def because(reason: str) -> Iterator[None]:
    """Records written inside, including those of saved records, give `reason` as why."""
    outer = current()
    token = _context.set(Context(request=outer.request, system=outer.system, reason=reason))
    try:
        yield
    finally:
        _context.reset(token)


class AuditContextMiddleware:
    """Keeps the request as the audit context while it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(request=request):
            return self.get_response(request)


def as_json(value: Any) -> Any:
    """A value as the log keeps it: JSON types, dates and decimals as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [as_json(item) for item in value]
    if isinstance(value, models.Model):
        return value.pk
    return DjangoJSONEncoder().default(value) if _encodable(value) else str(value)


def _encodable(value: Any) -> bool:
    try:
        DjangoJSONEncoder().default(value)
    except TypeError:
        return False
    return True


def record(
    event: AuditEventType | str,
    *,
    obj: models.Model | None = None,
    partner_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    actor: User | None = None,
    request: HttpRequest | None = None,
    object_repr: str = "",
) -> AuditEvent:
    """Write one audit record. The actor, address and browser come from `request`, else
    from the current request (AuditContextMiddleware), else the record is the system's.

    `actor` names the person when the request has nobody signed in yet (a failed sign-in
    for a known account, say)."""
    event_row = build(
        event,
        obj=obj,
        partner_id=partner_id,
        before=before,
        after=after,
        reason=reason,
        actor=actor,
        request=request,
        object_repr=object_repr,
    )
    event_row.save(force_insert=True)
    return event_row


def build(
    event: AuditEventType | str,
    *,
    obj: models.Model | None = None,
    partner_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    actor: User | None = None,
    request: HttpRequest | None = None,
    object_repr: str = "",
) -> AuditEvent:
    """The record `record()` writes, not yet saved: for `record_all` after a bulk write."""
    context = current()
    if request is not None:
        context = Context(request=request, system=context.system, reason=context.reason)
    person = actor or context.user
    if person is not None:
        label = person.email
    else:
        label = f"system: {context.system}" if context.system else ""
    if partner_id is None and obj is not None:
        partner_id = partner_of(obj)
    return AuditEvent(
        actor=person,
        actor_label=label,
        ip=context.ip,
        user_agent=context.user_agent,
        event=event,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        partner_id=partner_id,
        before=as_json(before) if before is not None else None,
        after=as_json(after) if after is not None else None,
        reason=reason or context.reason,
    )


def record_all(events: list[AuditEvent]) -> None:
    """Write records made by `build` in one INSERT: for writes that bypass model signals
    (`bulk_create`, `bulk_update`, `queryset.update()`), which services record themselves."""
    AuditEvent.objects.bulk_create(events)


def changes(obj: models.Model, before: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) of the fields in `before` whose value on `obj` now differs."""
    after = {name: getattr(obj, name) for name in before}
    changed = [name for name in before if as_json(before[name]) != as_json(after[name])]
    return {n: before[n] for n in changed}, {n: after[n] for n in changed}


def partner_of(obj: models.Model) -> int | None:
    """The partner a record concerns, for searching the log: its own `partner_id`, or what
    its model's `audit_partner_id()` says (for records that reach their partner through
    another, such as a finding through its validation)."""
    if obj._meta.label_lower == "partners.partner":
        return obj.pk
    method = getattr(obj, "audit_partner_id", None)
    if callable(method):
        return method()
    value = getattr(obj, "partner_id", None)
    return value if isinstance(value, int) else None


def partner_along(obj: models.Model, path: str) -> int | None:
    """The id of the partner at the end of `path` ("validation__enrollment__partner") from
    `obj`: through related objects already loaded, without a query; else by one query
    from the first one that is not."""
    steps = path.split("__")
    current: models.Model = obj
    for index, step in enumerate(steps):
        field = current._meta.get_field(step)
        if not isinstance(field, models.ForeignKey):
            raise TypeError(f"{path}: {step} is not a foreign key")
        fk_id = getattr(current, field.attname)
        if index == len(steps) - 1 or fk_id is None:
            return fk_id
        if field.is_cached(current):
            current = getattr(current, step)
            continue
        rest = "__".join(steps[index + 1 :])
        target: type[models.Model] = field.related_model  # type: ignore[assignment]
        return target._base_manager.filter(pk=fk_id).values_list(rest, flat=True).first()
    return None


# --- What the log keeps of a record -----------------------------------------------------

# Fields never compared or kept: bookkeeping that changes without a person deciding it.
IGNORED_FIELDS = {
    "accounts.user": {"last_login"},  # every sign-in; the sign-in itself is recorded
}
# A report's render state and lease (ctpat.reports): the report's creation is recorded,
# and its issue as REPORT_ISSUED; the snapshot stays on the report, which is never edited.
RENDER_STATE = {
    "status",
    "snapshot",
    "stored_name",
    "sha256",
    "size",
    "error",
    "started_at",
    "lease_expires_at",
    "rendered_at",
}


def is_secret(name: str) -> bool:
    return "password" in name or "token" in name or "secret" in name or name == "key"


@cache
def tracked_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The fields the log keeps of `model`."""
    ignored = IGNORED_FIELDS.get(model._meta.label_lower, set())
    if issubclass(model, RenderedReport):
        ignored = ignored | RENDER_STATE
    fields = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in ignored or is_secret(field.name):
            continue
        if getattr(field, "auto_now", False):  # moves on every save; `at` says when
            continue
        if issubclass(model, StoredDocument) and field.name.startswith("scan"):
            continue  # the scanner's verdict, recorded by whoever scans
        fields.append(field)
    return tuple(fields)


def values(instance: models.Model, fields) -> dict[str, Any]:
    return {field.name: getattr(instance, field.attname) for field in fields}


class _WouldQuery(Exception):
    pass


def _refuse(execute, sql, params, many, context):
    raise _WouldQuery


def name_of(instance: models.Model) -> str:
    """str(instance) when it needs no query (what it names is loaded), else the model's
    name and id: a record of a creation costs its INSERT and nothing more."""
    with connections[instance._state.db or "default"].execute_wrapper(_refuse):
        try:
            return str(instance)
        except _WouldQuery:
            return f"{instance._meta.verbose_name} {instance.pk}"


def record_created(objs: Iterable[models.Model], *, partner_id: int | None = None) -> None:
    """CREATED records of rows written by `bulk_create`, which sends no signals."""
    record_all(
        [
            build(
                AuditEventType.CREATED,
                obj=obj,
                partner_id=partner_id,
                object_repr=name_of(obj),
                after=values(obj, tracked_fields(type(obj))),
            )
            for obj in objs
        ]
    )


def record_updated(
    changed: Iterable[tuple[models.Model, dict[str, Any]]], *, partner_id: int | None = None
) -> None:
    """UPDATED records of (record, its fields' values before) written by `bulk_update` or
    `queryset.update()`; fields whose value did not change are left out."""
    events = []
    for obj, before in changed:
        old, new = changes(obj, before)
        if old:
            events.append(
                build(
                    AuditEventType.UPDATED,
                    obj=obj,
                    partner_id=partner_id,
                    object_repr=name_of(obj),
                    before=old,
                    after=new,
                )
            )
    record_all(events)


def record_report_issued(report: RenderedReport) -> AuditEvent:
    """REPORT_ISSUED for a report just made ready: by the person who asked for it, with
    what proves the file (ctpat.reports' `on_ready`, in the transaction that issues it)."""
    return record(
        AuditEventType.REPORT_ISSUED,
        obj=report,
        actor=report.requested_by,
        object_repr=name_of(report),
        after={
            "stored_name": report.stored_name,
            "sha256": report.sha256,
            "size": report.size,
            "rendered_at": report.rendered_at,
        },
    )


def record_export(
    what: str, *, request: HttpRequest, obj: models.Model | None = None, **details: Any
) -> AuditEvent:
    """EXPORTED: `what` left the system (a file name), with the filters it was made with
    (the query string, but the page) and any `details`."""
    given = {key: request.GET.getlist(key) for key in request.GET if key != "page"}
    filters = {key: v[0] if len(v) == 1 else v for key, v in given.items() if any(v)}
    return record(
        AuditEventType.EXPORTED,
        obj=obj,
        request=request,
        object_repr=what if obj is None else "",
        after={"export": what, "filters": filters, **details},
    )
