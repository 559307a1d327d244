"""Corrective action plan evidence: documents uploaded per objective through the one upload
path, downloaded by CBP through the owner-checked response (issue 15)."""

from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from ctpat.errors import DomainError
from partners import services
from partners.models import CorrectiveActionEvidence
from tests.factories import (
    CorrectiveActionPlanFactory,
    EnrollmentFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db


def suspended_partner(office=None):
    partner = PartnerFactory(security=False, **({"field_office": office} if office else {}))
    enrollment = EnrollmentFactory(
        partner=partner,
        status="suspended",
        status_before_suspension="certified",
        certified_on=date.today() - timedelta(days=300),
        tier=1,
        suspended_on=date.today() - timedelta(days=5),
    )
    return partner, enrollment


@pytest.fixture
def plan():
    partner, enrollment = suspended_partner()
    plan = CorrectiveActionPlanFactory(enrollment=enrollment, submitted=True)
    plan.actions.create(objective="Two-person seal checks", owner="Dock lead", due_on=date.today())
    return plan


def pdf(name="seal-log.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def upload_url(plan, action=None):
    action = action or plan.actions.get()
    return reverse("partners:plan_evidence_add", args=[plan.enrollment.partner_id, action.pk])


def form_data(client, url, **files):
    """The form's own token (OnceFormMixin) with the files."""
    page = client.get(url).content.decode()
    token = page.split('name="submission" value="')[1].split('"')[0]
    return {"submission": token, **files}


def test_a_partner_user_uploads_evidence_and_cbp_downloads_it(client, plan):
    partner = plan.enrollment.partner
    user = MembershipFactory(partner=partner).user
    client.force_login(user)
    detail = client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert 'data-action="plan-evidence-add"' in detail
    url = upload_url(plan)
    response = client.post(url, form_data(client, url, file=pdf()), follow=True)
    assert response.redirect_chain[-1][0] == reverse("partners:detail", args=[partner.pk])
    assert "1 document is added as evidence for “Two-person seal checks”." in (
        response.content.decode()
    )
    document = CorrectiveActionEvidence.objects.get()
    assert document.action == plan.actions.get() and document.uploaded_by == user
    assert document.original_name == "seal-log.pdf" and len(document.sha256) == 64
    assert document.stored_name.startswith("corrective-actions/")
    assert default_storage.exists(document.stored_name)
    assert AuditEvent.objects.filter(object_id=str(document.pk), event="created").exists()

    specialist = UserFactory(specialist=True, field_office=partner.field_office)
    client.force_login(specialist)
    document.scan_status = "clean"
    document.save()
    page = client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert document.get_download_url() in page
    response = client.get(document.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_renamed_program_is_refused_with_the_reason_and_nothing_is_kept(client, plan):
    client.force_login(MembershipFactory(partner=plan.enrollment.partner, officer=True).user)
    url = upload_url(plan)
    program = SimpleUploadedFile("seal-log.pdf", b"MZ\x90\x00\x03\x00" + b"\x00" * 64)
    response = client.post(url, form_data(client, url, file=program))
    assert response.status_code == 200
    assert "seal-log.pdf is not a PDF, Word (DOCX)" in response.content.decode()
    assert not CorrectiveActionEvidence.objects.exists()
    assert not default_storage.exists("corrective-actions")


def test_no_file_is_a_clear_error(client, plan):
    client.force_login(MembershipFactory(partner=plan.enrollment.partner, officer=True).user)
    url = upload_url(plan)
    response = client.post(url, form_data(client, url))
    assert response.status_code == 200
    assert "Choose a file to upload." in response.content.decode()
    assert not CorrectiveActionEvidence.objects.exists()


def test_another_partners_ids_answer_404(client, plan):
    other, _ = suspended_partner()
    outsider = MembershipFactory(partner=other, officer=True).user
    services.corrective_action_evidence_add(
        action=plan.actions.get(),
        actor=MembershipFactory(partner=plan.enrollment.partner).user,
        files=[pdf()],
    )
    document = CorrectiveActionEvidence.objects.get()
    document.scan_status = "clean"
    document.save()
    client.force_login(outsider)
    assert client.get(upload_url(plan)).status_code == 404
    # Their own partner's id with this plan's objective: not found either.
    action = plan.actions.get()
    mixed = reverse("partners:plan_evidence_add", args=[other.pk, action.pk])
    assert client.get(mixed).status_code == 404
    assert client.get(document.get_download_url()).status_code == 404
    elsewhere = UserFactory(specialist=True)  # another field office
    client.force_login(elsewhere)
    assert client.get(document.get_download_url()).status_code == 404


def test_cbp_staff_are_refused_the_upload_and_not_offered_it(client, plan):
    partner = plan.enrollment.partner
    specialist = UserFactory(specialist=True, field_office=partner.field_office)
    client.force_login(specialist)
    assert client.get(upload_url(plan)).status_code == 403
    detail = client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert 'data-action="plan-evidence-add"' not in detail
    with pytest.raises(DomainError, match="Only the users of"):
        services.corrective_action_evidence_add(
            action=plan.actions.get(), actor=specialist, files=[pdf()]
        )


def test_evidence_closes_when_the_suspension_ends(client, plan):
    enrollment = plan.enrollment
    enrollment.status, enrollment.suspended_on = "certified", None
    enrollment.save()
    officer = MembershipFactory(partner=enrollment.partner, officer=True).user
    with pytest.raises(DomainError, match="has ended"):
        services.corrective_action_evidence_add(
            action=plan.actions.get(), actor=officer, files=[pdf()]
        )
    client.force_login(officer)
    assert client.get(upload_url(plan)).status_code == 403


def test_saving_the_plan_again_keeps_its_objectives_and_their_evidence(client):
    partner, enrollment = suspended_partner()
    officer = MembershipFactory(partner=partner, officer=True).user
    plan = services.corrective_action_plan_save(
        enrollment=enrollment,
        actor=officer,
        summary="Seals",
        actions=[{"objective": "Seal checks", "owner": "Dock", "due_on": date.today()}],
        submit=False,
    )
    action = plan.actions.get()
    services.corrective_action_evidence_add(action=action, actor=officer, files=[pdf()])
    client.force_login(officer)
    url = reverse("partners:plan_edit", args=[partner.pk, enrollment.pk])
    page = client.get(url).content.decode()
    assert f'value="{action.pk}"' in page
    # The page as sent back unchanged: the objective stays, with its evidence.
    data = {
        "summary": "Seals, again",
        "action": "save",
        "actions-TOTAL_FORMS": "4",
        "actions-INITIAL_FORMS": "1",
        "actions-0-id": str(action.pk),
        "actions-0-objective": "Seal checks",
        "actions-0-owner": "Dock",
        "actions-0-due_on": date.today().isoformat(),
    }
    assert client.post(url, data).status_code == 302
    assert list(plan.actions.values_list("pk", flat=True)) == [action.pk]
    assert action.evidence.count() == 1
    # Left out, an objective with evidence is refused, and nothing changes.
    with pytest.raises(DomainError, match="has evidence uploaded"):
        services.corrective_action_plan_save(
            enrollment=enrollment,
            actor=officer,
            summary="Other",
            actions=[{"objective": "Other", "owner": "Ops", "due_on": date.today()}],
            submit=False,
        )
    plan.refresh_from_db()
    assert plan.summary == "Seals, again" and plan.actions.get().pk == action.pk


@pytest.mark.parametrize("count", [1, 5])
def test_the_plan_pages_query_counts_do_not_grow_with_evidence(
    client, django_assert_max_num_queries, count
):
    partner, enrollment = suspended_partner()
    supervisor = UserFactory(supervisor=True, field_office=partner.field_office)
    officer = MembershipFactory(partner=partner, officer=True).user
    plan = CorrectiveActionPlanFactory(enrollment=enrollment, submitted=True)
    for n in range(count):
        action = plan.actions.create(objective=f"Objective {n}", owner="Ops", due_on=date.today())
        services.corrective_action_evidence_add(
            action=action, actor=officer, files=[pdf(f"log-{n}.pdf"), pdf(f"photo-{n}.pdf")]
        )
    CorrectiveActionEvidence.objects.update(scan_status="clean")
    client.force_login(supervisor)
    with django_assert_max_num_queries(46):
        detail = client.get(reverse("partners:detail", args=[partner.pk]))
    assert detail.content.decode().count("/corrective-action-evidence/") == 2 * count
    decide = reverse("partners:plan_decide", args=[partner.pk, plan.pk])
    with django_assert_max_num_queries(20):
        page = client.get(decide)
    assert page.content.decode().count("/corrective-action-evidence/") == 2 * count
