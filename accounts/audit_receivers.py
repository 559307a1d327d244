"""Every create, change and delete of a business record, written to the audit log.

Receivers of pre_save (the row before, for a change: one query by primary key), post_save
and post_delete are connected in AccountsConfig.ready() to each recorded model. The apps
above accounts are not imported: their models are read from the app registry by label.
A change keeps only the fields that changed; a creation or deletion keeps every field;
neither keeps a password, token, secret or key.

A change of a person's role, field office or active flag is its own event (ROLE_CHANGED,
OFFICE_CHANGED, ACCOUNT_DISABLED, ACCOUNT_ENABLED), with the reason given around it by
`audit.because()`.

`bulk_create`, `bulk_update` and `queryset.update()` send no signals: the services that
use them for a person's change record it themselves (README, "Audit log").
"""

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from simple_history.models import HistoricalChanges

from ctpat.signals import file_served

from . import audit
from .choices import AuditEventType

# The apps whose records people change: every model of these is recorded unless listed in
# NOT_RECORDED. Of accounts and ctpat only the models named are: the rest is machinery
# (the audit log itself, FormSubmission's one-time tokens, OutboxMessage, Heartbeat, and
# whatever sign-in security keeps), and so are Django's sessions. notifications (read
# flags, failed emails) and dashboard (figure caches, PDFs of the dashboard) keep no
# business records.
RECORDED_APPS = ("partners", "validations", "forced_labor", "profiles", "benefits", "deadlines")
RECORDED_MODELS = ("accounts.user", "accounts.fieldoffice", "ctpat.programrule")

# Machinery, not a record a person changed. simple-history's historical models are left
# out too (they are a history already), and so is the audit log itself.
NOT_RECORDED = {
    "benefits.periodsummary": "totals rebuilt from observations whenever they change",
    "deadlines.sentnotice": "the sweep's mark that a reminder went out, once",
}


def recorded_models() -> list[type[models.Model]]:
    found = [apps.get_model(label) for label in RECORDED_MODELS]
    for label in RECORDED_APPS:
        found += [
            model
            for model in apps.get_app_config(label).get_models()
            if model._meta.label_lower not in NOT_RECORDED
            and not issubclass(model, HistoricalChanges)
        ]
    return found


def _before_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    fields = audit.tracked_fields(sender)
    if update_fields is not None:
        fields = tuple(f for f in fields if f.name in update_fields or f.attname in update_fields)
    row = None
    if fields:
        row = (
            sender._base_manager.using(using)
            .filter(pk=instance.pk)
            .values(*(f.attname for f in fields))
            .first()
        )
    instance._audit_before = (fields, row)


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        audit.record(
            AuditEventType.CREATED,
            obj=instance,
            object_repr=audit.name_of(instance),
            after=audit.values(instance, audit.tracked_fields(sender)),
        )
        return
    fields, row = instance.__dict__.pop("_audit_before", ((), None))
    if row is None:
        return
    changed = [
        f for f in fields if audit.as_json(row[f.attname]) != audit.as_json(_now(instance, f))
    ]
    if not changed:
        return
    before = {f.name: row[f.attname] for f in changed}
    after = {f.name: _now(instance, f) for f in changed}
    if sender._meta.label_lower == "accounts.user":
        _record_account_changes(instance, before, after)
    if before:
        audit.record(
            AuditEventType.UPDATED,
            obj=instance,
            object_repr=audit.name_of(instance),
            before=before,
            after=after,
        )


def _now(instance, field):
    value = getattr(instance, field.attname)
    try:
        return field.to_python(value)  # "2025-01-02" assigned to a date field: a date
    except Exception:  # a value the database would refuse; kept as given
        return value


ACCOUNT_EVENTS = {
    "role": AuditEventType.ROLE_CHANGED,
    "field_office": AuditEventType.OFFICE_CHANGED,
}


def _record_account_changes(user, before: dict, after: dict) -> None:
    """Role, office and active changes as their own events; taken out of `before`/`after`."""
    for name, event in ACCOUNT_EVENTS.items():
        if name in before:
            audit.record(
                event, obj=user, before={name: before.pop(name)}, after={name: after.pop(name)}
            )
    if "is_active" in before:
        active = after.pop("is_active")
        audit.record(
            AuditEventType.ACCOUNT_ENABLED if active else AuditEventType.ACCOUNT_DISABLED,
            obj=user,
            before={"is_active": before.pop("is_active")},
            after={"is_active": active},
        )


def _after_delete(sender, instance, **kwargs):
    audit.record(
        AuditEventType.DELETED,
        obj=instance,
        object_repr=audit.name_of(instance),
        before=audit.values(instance, audit.tracked_fields(sender)),
    )


def _file_served(sender, owner, stored_name, download_name, **kwargs):
    audit.record(
        AuditEventType.DOWNLOADED,
        obj=owner,
        object_repr=audit.name_of(owner),
        after={"file": download_name, "stored_name": stored_name},
    )


def connect() -> None:
    file_served.connect(_file_served, dispatch_uid="audit:file_served")
    for model in recorded_models():
        uid = f"audit:{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
