"""What the audit log records of people's work, through the pages they use."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.choices import AuditEventType
from accounts.models import AuditEvent
from ctpat.models import ProgramRule
from forced_labor.models import RequirementVersion
from tests.factories import FieldOfficeFactory, SiteFactory, UserFactory, set_rule
from tests.validations.conftest import record_all
from validations import services
from validations.models import Criterion, DocumentRequest

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


def last(event, object_type, object_id=None) -> AuditEvent:
    events = AuditEvent.objects.filter(event=event, object_type=object_type)
    if object_id is not None:
        events = events.filter(object_id=str(object_id))
    found = events.order_by("-id").first()
    assert found is not None, f"no {event} record of {object_type}"
    return found


def by(client, user):
    client.force_login(user)
    client.defaults["REMOTE_ADDR"] = ADDRESS
    return client


def admin_form(response) -> dict:
    """The data a Django admin change page would post back unchanged, inlines included."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = list(value)
            elif isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[formset.management_form.add_prefix(name)] = value
        for form in formset.forms:
            add(form)
    return data


def test_a_finding_edit_is_recorded_with_its_person_address_and_values(client, people, planned):
    services.validation_start(validation=planned, actor=people["specialist"])
    by(client, people["specialist"])
    findings = list(planned.findings.all())
    unchanged = findings[0]
    data = {"findings-TOTAL_FORMS": len(findings), "findings-INITIAL_FORMS": len(findings)}
    for n, f in enumerate(findings):
        data |= {f"findings-{n}-finding": f.pk, f"findings-{n}-narrative": ""}
        data[f"findings-{n}-result"] = "" if f == unchanged else "meets"
    client.post(reverse("validations:findings", args=[planned.pk]), data)
    event = last(AuditEventType.UPDATED, "validations.finding", findings[1].pk)
    assert (event.actor, event.ip) == (people["specialist"], ADDRESS)
    assert event.partner_id == people["partner"].pk
    assert event.before == {"result": ""} and event.after == {"result": "meets"}
    recorded = AuditEvent.objects.filter(
        event=AuditEventType.UPDATED, object_type="validations.finding"
    )
    assert recorded.count() == len(findings) - 1  # not the finding left as it was
    assert not recorded.filter(object_id=str(unchanged.pk)).exists()


def test_a_document_request_added_on_its_page_is_recorded(client, people, planned):
    by(client, people["specialist"])
    url = reverse("validations:request_add", args=[planned.pk])
    token = client.get(url).context["form"]["submission"].initial
    due = date.today() + timedelta(days=5)
    client.post(url, {"name": "Seal log", "due_on": due.isoformat(), "submission": token})
    request = DocumentRequest.objects.get(validation=planned, name="Seal log")
    event = last(AuditEventType.CREATED, "validations.documentrequest", request.pk)
    assert event.actor == people["specialist"] and event.ip == ADDRESS
    assert event.after["name"] == "Seal log" and event.after["due_on"] == due.isoformat()
    assert event.partner_id == people["partner"].pk and event.before is None


def test_a_required_action_response_and_decision_are_recorded(client, people, in_review):
    services.validation_approve(validation=in_review, actor=people["supervisor"], tier=2)
    action = in_review.findings.get(result="required_action").action
    assert last(AuditEventType.CREATED, "validations.requiredaction", action.pk)
    respond = reverse("validations:action_respond", args=[in_review.pk, action.pk])
    by(client, people["partner_user"])
    token = client.get(respond).context["form"]["submission"].initial
    client.post(respond, {"response": "New seal log in place", "submission": token})
    event = last(AuditEventType.UPDATED, "validations.requiredaction", action.pk)
    assert event.actor == people["partner_user"] and event.ip == ADDRESS
    assert event.after["response"] == "New seal log in place"
    assert event.before["status"] == "open" and event.after["status"] == "response_submitted"
    assert event.partner_id == people["partner"].pk

    decide = reverse("validations:action_decide", args=[in_review.pk, action.pk])
    by(client, people["specialist"])
    client.post(decide, {"decision": "accept", "comment": ""})
    event = last(AuditEventType.UPDATED, "validations.requiredaction", action.pk)
    assert event.actor == people["specialist"]
    assert event.before["status"] == "response_submitted" and event.after["status"] == "accepted"


@pytest.fixture
def administrator(client):
    person = UserFactory(administrator=True)
    return by(client, person), person


def test_a_criterion_version_edited_in_the_admin_is_recorded(administrator):
    client, person = administrator
    criterion = Criterion.objects.filter(versions__findings__isnull=True).first()
    version = criterion.versions.first()
    url = reverse("admin:validations_criterion_change", args=[criterion.pk])
    data = admin_form(client.get(url))
    key = next(k for k, v in data.items() if k.endswith("-text") and v == version.text)
    data[key] = version.text + " (reworded)"
    assert client.post(url, data).status_code == 302
    event = last(AuditEventType.UPDATED, "validations.criterionversion", version.pk)
    assert event.actor == person and event.ip == ADDRESS
    assert event.after == {"text": version.text + " (reworded)"}
    assert event.before == {"text": version.text}


def test_a_future_program_rule_edited_in_the_admin_is_recorded(administrator):
    client, person = administrator
    future = set_rule("deadline_escalation_days", 10, effective_from=date(2099, 1, 1))
    url = reverse("admin:ctpat_programrule_change", args=[future.pk])
    data = admin_form(client.get(url)) | {"value": "9", "reason": "Sooner."}
    assert client.post(url, data).status_code == 302
    event = last(AuditEventType.UPDATED, "ctpat.programrule", future.pk)
    assert event.actor == person
    assert event.before["value"] == "10" and event.after["value"] == "9"
    assert "changed_at" not in event.after  # moves on every save; the record's time says
    assert ProgramRule.objects.get(pk=future.pk).value == "9"


def test_a_requirement_version_edited_in_the_admin_is_recorded(administrator):
    client, person = administrator
    version = RequirementVersion.objects.first()
    url = reverse("admin:forced_labor_requirement_change", args=[version.requirement_id])
    data = admin_form(client.get(url))
    key = next(k for k, v in data.items() if k.endswith("-guidance") and v == version.guidance)
    data[key] = "New guidance"
    assert client.post(url, data).status_code == 302
    event = last(AuditEventType.UPDATED, "forced_labor.requirementversion", version.pk)
    assert event.actor == person and event.after == {"guidance": "New guidance"}


def test_role_office_and_active_changes_are_their_own_events_with_the_reason(administrator):
    client, person = administrator
    user = UserFactory(specialist=True)
    old_office, new_office = user.field_office, FieldOfficeFactory()
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = admin_form(client.get(url)) | {
        "role": "supervisor",
        "field_office": new_office.pk,
        "reason": "Moved to the Miami office",  # the change form asks why
    }
    data.pop("is_active")
    assert client.post(url, data).status_code == 302
    role = last(AuditEventType.ROLE_CHANGED, "accounts.user", user.pk)
    assert (role.before, role.after) == ({"role": "specialist"}, {"role": "supervisor"})
    assert role.actor == person and role.ip == ADDRESS
    assert role.reason == "Moved to the Miami office"
    office = last(AuditEventType.OFFICE_CHANGED, "accounts.user", user.pk)
    assert office.before == {"field_office": old_office.pk}
    assert office.after == {"field_office": new_office.pk}
    disabled = last(AuditEventType.ACCOUNT_DISABLED, "accounts.user", user.pk)
    assert disabled.after == {"is_active": False}
    assert not AuditEvent.objects.filter(
        event=AuditEventType.UPDATED, object_type="accounts.user", object_id=str(user.pk)
    ).exists()
    user.refresh_from_db()
    user.is_active = True
    user.save()
    assert last(AuditEventType.ACCOUNT_ENABLED, "accounts.user", user.pk).reason == ""


def test_no_record_keeps_a_password(administrator):
    user = UserFactory()
    user.set_password("a new long passphrase")
    user.save()
    created = last(AuditEventType.CREATED, "accounts.user", user.pk)
    assert "password" not in created.after and "last_login" not in created.after
    assert not AuditEvent.objects.filter(
        event=AuditEventType.UPDATED, object_type="accounts.user", object_id=str(user.pk)
    ).exists()


def test_a_record_deleted_is_recorded_with_what_it_held(people):
    partner = people["partner"]
    site = SiteFactory(partner=partner, name="Dock 4")
    site.delete()
    event = last(AuditEventType.DELETED, "partners.site")
    assert event.before["name"] == "Dock 4" and event.partner_id == partner.pk


def test_a_creation_costs_only_its_insert(people, django_assert_num_queries):
    site = SiteFactory.build(partner=people["partner"], name="Dock 5")
    with django_assert_num_queries(3):  # the site, its history row, its audit record
        site.save()


def test_a_download_and_the_issued_report_are_recorded(
    client, people, in_review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.validation_approve(
            validation=in_review, actor=people["supervisor"], tier=2
        )
    issued = last(AuditEventType.REPORT_ISSUED, "validations.issuedreport", report.pk)
    report.refresh_from_db()
    assert issued.actor == people["supervisor"] and issued.after["sha256"] == report.sha256
    assert issued.partner_id == people["partner"].pk
    by(client, people["partner_user"])
    response = client.get(reverse("validations:report_download", args=[in_review.pk, report.pk]))
    b"".join(response.streaming_content)
    event = last(AuditEventType.DOWNLOADED, "validations.issuedreport", report.pk)
    assert event.actor == people["partner_user"] and event.ip == ADDRESS
    assert event.after["file"].endswith(f"-v{report.version}.pdf")
    assert event.partner_id == people["partner"].pk


def test_the_partner_export_is_recorded_with_its_filters(client, people):
    by(client, people["supervisor"])
    response = client.get(reverse("partners:export"), {"q": "Acme", "page": "2"})
    b"".join(response.streaming_content)
    event = last(AuditEventType.EXPORTED, "")
    assert event.actor == people["supervisor"] and event.ip == ADDRESS
    assert event.after["filters"] == {"q": "Acme"}
    assert event.after["export"].startswith("partners-")


def test_sending_the_document_requests_is_recorded(people, planned):
    services.document_request_add(
        validation=planned,
        actor=people["specialist"],
        name="Seal log",
        description="",
        due_on=date.today() + timedelta(days=5),
    )
    services.validation_request_documents(validation=planned, actor=people["specialist"])
    request = DocumentRequest.objects.get(validation=planned, name="Seal log")
    event = last(AuditEventType.UPDATED, "validations.documentrequest", request.pk)
    assert event.before == {"status": "draft"} and event.after == {"status": "requested"}


def test_findings_recorded_by_the_service_name_the_partner(people, planned):
    services.validation_start(validation=planned, actor=people["specialist"])
    record_all(planned, people["specialist"])
    assert set(
        AuditEvent.objects.filter(object_type="validations.finding").values_list(
            "partner_id", flat=True
        )
    ) == {people["partner"].pk}
