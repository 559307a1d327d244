import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from accounts import audit
from accounts.choices import AuditEventType
from accounts.models import AuditEvent
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_record_names_the_requests_person_address_and_browser():
    person = UserFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox")
    request.user = person
    with audit.acting_as(request=request):
        event = audit.record(AuditEventType.EXPORTED, reason="monthly list")
    assert (event.actor, event.actor_label, event.ip, event.user_agent) == (
        person,
        person.email,
        "203.0.113.9",
        "Firefox",
    )


def test_outside_a_request_the_record_is_the_named_jobs():
    with audit.acting_as(system="deadlines.sweep"):
        event = audit.record(AuditEventType.UPDATED)
    assert event.actor is None and event.actor_label == "system: deadlines.sweep"


def test_a_record_about_a_partner_can_be_found_by_the_partner():
    partner = PartnerFactory()
    event = audit.record(AuditEventType.UPDATED, obj=partner, before={"a": 1}, after={"a": 2})
    assert event.partner_id == partner.pk and event.object_type == "partners.partner"


def test_on_postgresql_nobody_can_change_or_delete_a_record(postgresql):
    event = audit.record(AuditEventType.SIGN_IN, reason="kept")
    for statement in (
        "UPDATE accounts_auditevent SET reason = 'changed' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    event.refresh_from_db()
    assert event.reason == "kept"
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_reason_given_around_a_change_goes_with_its_records():
    with audit.acting_as(system="accounts.disable_unused"), audit.because("unused for 90 days"):
        event = audit.record(AuditEventType.ACCOUNT_DISABLED)
    assert event.reason == "unused for 90 days"
    assert audit.record(AuditEventType.ACCOUNT_ENABLED).reason == ""
