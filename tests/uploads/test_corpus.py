"""Every hostile file of the corpus, against ctpat.uploads.check() and through each of the
upload forms: refused with a message (or, for EICAR, quarantined by the scan), and
nothing of a refused file left on disk or in the database."""

import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ctpat import uploads
from ctpat.errors import DomainError
from forced_labor.models import Submission, SubmissionFile
from notifications.models import Notification
from partners.models import CorrectiveActionEvidence
from tests.factories import (
    CorrectiveActionPlanFactory,
    EnrollmentFactory,
    MembershipFactory,
    UserFactory,
)
from tests.uploads.corpus import CORPUS, KEPT_AS, QUARANTINED
from validations import services
from validations.models import ActionDocument, DocumentUpload, Finding, RequiredAction

pytestmark = pytest.mark.django_db

IDS = [hostile.key for hostile in CORPUS]
REFUSED = [hostile for hostile in CORPUS if hostile.form_outcome != QUARANTINED]


@pytest.mark.parametrize("hostile", CORPUS, ids=IDS)
def test_check_refuses_each_with_its_reason(hostile):
    # ContentFile keeps the name as given (an UploadedFile keeps only its last path part).
    file = ContentFile(hostile.content, name=hostile.name)
    if not hostile.refused:
        assert uploads.check(file)  # well-formed: only the virus scan can catch it
        return
    with pytest.raises(DomainError) as refusal:
        uploads.check(file)
    assert hostile.refused in refusal.value.message


# --- The three upload forms ---------------------------------------------------------------


def _forced_labor(client, tc, people, planned, name, content):
    client.force_login(tc["officer"])
    url = reverse("forced_labor:submit", args=[tc["partner"].pk, tc["evidence"].pk])
    data = {
        "title": "Training",
        "effective_on": date.today().isoformat(),
        "files": SimpleUploadedFile(name, content),
        "submission": str(uuid.uuid4()),
    }
    return client.post(url, data), SubmissionFile


def _document_request(client, tc, people, planned, name, content):
    services.validation_request_documents(validation=planned, actor=people["specialist"])
    request = planned.document_requests.first()
    client.force_login(people["partner_user"])
    url = reverse("validations:request_upload", args=[planned.pk, request.pk])
    data = {"file": SimpleUploadedFile(name, content), "submission": str(uuid.uuid4())}
    return client.post(url, data), DocumentUpload


def _required_action(client, tc, people, planned, name, content):
    finding = Finding.objects.filter(validation=planned).first()
    action = RequiredAction.objects.create(finding=finding, due_on=timezone.localdate())
    client.force_login(people["partner_user"])
    url = reverse("validations:action_respond", args=[planned.pk, action.pk])
    data = {
        "response": "New seal log in place",
        "file": SimpleUploadedFile(name, content),
        "submission": str(uuid.uuid4()),
    }
    return client.post(url, data), ActionDocument


def _plan_evidence(client, tc, people, planned, name, content):
    enrollment = EnrollmentFactory(
        status="suspended",
        status_before_suspension="certified",
        certified_on=date.today() - timedelta(days=300),
        tier=1,
        suspended_on=date.today() - timedelta(days=3),
    )
    plan = CorrectiveActionPlanFactory(enrollment=enrollment, submitted=True)
    action = plan.actions.create(objective="Seal checks", owner="Dock", due_on=date.today())
    client.force_login(MembershipFactory(partner=enrollment.partner).user)
    url = reverse("partners:plan_evidence_add", args=[enrollment.partner_id, action.pk])
    data = {"file": SimpleUploadedFile(name, content), "submission": str(uuid.uuid4())}
    return client.post(url, data), CorrectiveActionEvidence


FORMS = {
    "forced-labor-submission": _forced_labor,
    "document-request-upload": _document_request,
    "required-action-response": _required_action,
    "corrective-action-evidence": _plan_evidence,
}


def _kept_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
@pytest.mark.parametrize("hostile", REFUSED, ids=[hostile.key for hostile in REFUSED])
def test_every_form_refuses_every_hostile_file(
    client, tc, people, planned, form, hostile, django_capture_on_commit_callbacks
):
    """Each is refused with its message (EICAR, which only the scan catches: below)."""
    with django_capture_on_commit_callbacks(execute=True):
        response, model = FORMS[form](client, tc, people, planned, hostile.name, hostile.content)
    if hostile.form_outcome.startswith(KEPT_AS):
        kept = model.objects.get()
        assert kept.original_name == hostile.form_outcome.removeprefix(KEPT_AS)
        assert "/" not in kept.original_name and ".." not in kept.stored_name
        assert [p.name for p in _kept_files()] == [Path(kept.stored_name).name]
        return
    assert response.status_code == 200, "refused: the form is shown again"
    html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert hostile.form_outcome in html
    assert not model.objects.exists()
    assert not Submission.objects.exists()
    assert not RequiredAction.objects.filter(status="response_submitted").exists()
    assert _kept_files() == [], "nothing of a refused file is left on disk"


@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
def test_eicar_is_quarantined_listed_nowhere_and_administrators_are_told(
    client, tc, people, planned, form, scanner, django_capture_on_commit_callbacks
):
    eicar = next(h for h in CORPUS if h.form_outcome == QUARANTINED)
    admin = UserFactory(administrator=True)
    with django_capture_on_commit_callbacks(execute=True):
        response, model = FORMS[form](client, tc, people, planned, eicar.name, eicar.content)
    assert response.status_code == 302
    kept = model.objects.get()
    assert kept.scan_status == "quarantined"
    assert "Eicar-Test-Signature" in kept.scan_signature
    assert kept.scanned_at is not None
    assert not model.objects.downloadable().exists()
    assert not model.objects.listed_for(kept.uploaded_by).exists()
    assert client.get(kept.get_download_url()).status_code == 404
    if model is SubmissionFile:
        listing = reverse("forced_labor:partner", args=[tc["partner"].pk])
    elif model is CorrectiveActionEvidence:
        listing = reverse("partners:detail", args=[kept.action.plan.enrollment.partner_id])
    else:
        listing = reverse("validations:detail", args=[planned.pk])
    html = client.get(listing).content.decode()  # as the uploader
    assert "eicar.docx" not in html
    told = Notification.objects.get(recipient=admin)
    assert "eicar.docx" in told.title and "Eicar-Test-Signature" in told.body
    assert Notification.objects.filter(recipient=kept.uploaded_by, title__contains="refused")
