"""The administrators' audit log page, its CSV, and the read-only admin."""

import csv
import io

import pytest
from django.urls import reverse

from accounts import audit
from accounts.choices import AuditEventType
from accounts.models import AuditEvent
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    person = UserFactory(administrator=True)
    client.force_login(person)
    return person


def some_records(count: int, partner_id: int | None = None) -> None:
    for n in range(count):
        audit.record(
            AuditEventType.UPDATED,
            partner_id=partner_id,
            object_repr=f"Thing {n}",
            before={"name": f"old {n}"},
            after={"name": f"new {n}"},
        )


@pytest.mark.parametrize("rows", [3, 60])
def test_the_page_query_count_does_not_grow_with_rows(
    client, administrator, rows, django_assert_max_num_queries
):
    some_records(rows)
    with django_assert_max_num_queries(10):  # +1: OTPMiddleware reads the device
        response = client.get(reverse("accounts:audit"), {"event": "updated"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 50)


def test_before_and_after_are_shown_field_by_field(client, administrator):
    some_records(1)
    html = client.get(reverse("accounts:audit")).content.decode()
    assert "<del>old 0</del> → new 0" in html


def test_it_filters_and_leaves_out_what_does_not_parse(client, administrator):
    partner = PartnerFactory()
    some_records(2, partner_id=partner.pk)
    some_records(3)
    response = client.get(reverse("accounts:audit"), {"partner": partner.pk, "event": "updated"})
    assert response.context["page"].paginator.count == 2
    assert AuditEvent.objects.filter(partner_id=partner.pk, event="created").exists()
    response = client.get(
        reverse("accounts:audit"), {"partner": "abc", "since": "yesterday", "event": "nonsense"}
    )
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in response.content.decode()
    assert response.context["page"].paginator.count == AuditEvent.objects.count()


def test_it_finds_a_persons_records_by_part_of_their_address(client, administrator):
    someone = UserFactory(email="pat.jones@example.com")
    audit.record(AuditEventType.SIGN_IN, actor=someone)
    some_records(2)
    response = client.get(reverse("accounts:audit"), {"actor": "PAT.JONES"})
    assert [e.actor_id for e in response.context["page"].object_list] == [someone.pk]


def test_the_csv_has_the_filtered_rows_made_safe_and_is_itself_recorded(client, administrator):
    audit.record(AuditEventType.UPDATED, object_repr="=HYPERLINK(1)", reason="kept")
    audit.record(AuditEventType.SIGN_IN, object_repr="other")
    response = client.get(reverse("accounts:audit_export"), {"event": "updated"})
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "At" and len(rows) == 2
    assert rows[1][7] == "'=HYPERLINK(1)" and rows[1][11] == "kept"
    exported = AuditEvent.objects.filter(event=AuditEventType.EXPORTED).get()
    assert exported.actor == administrator and exported.after["filters"] == {"event": "updated"}


@pytest.mark.parametrize("role", ["specialist", "supervisor", "partner"])
def test_nobody_but_administrators_may_read_it(client, role):
    client.force_login(UserFactory(**{role: True}) if role != "partner" else UserFactory())
    assert client.get(reverse("accounts:audit")).status_code == 403
    assert client.get(reverse("accounts:audit_export")).status_code == 403


def test_the_admin_lists_records_and_refuses_to_add_change_or_delete_them(client, administrator):
    event = audit.record(AuditEventType.SIGN_IN, reason="kept")
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 200
    change = reverse("admin:accounts_auditevent_change", args=[event.pk])
    assert client.get(change).status_code == 200  # shown, read only
    assert client.post(change, {"reason": "changed", "event": "sign_in"}).status_code == 403
    delete = reverse("admin:accounts_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    event.refresh_from_db()
    assert event.reason == "kept"
