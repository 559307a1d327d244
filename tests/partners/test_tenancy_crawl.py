"""Every URL that takes an object id, requested with another partner's ids: no leak.

The URL patterns come from the resolver, so patterns added later are crawled too. A
pattern with an id parameter this crawl does not know fails the test: add the id of
partner B's object of that kind to IDS_OF_B below.
"""

from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from partners.models import Appeal, EnrollmentEvent, Invitation
from tests.factories import (
    CorrectiveActionPlanFactory,
    EnrollmentFactory,
    FieldOfficeFactory,
    IdentifierFactory,
    MembershipFactory,
    PartnerFactory,
    SiteFactory,
    UserFactory,
    ValidationFactory,
    accepted_profile,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

REFUSED = {403, 404, 405, 410}
# Ids of objects that belong to no partner (a proposed benefit, the published yearly
# benefits report): the people crawling may open them, but partner B must not show.
NOT_PARTNER_DATA = {"proposal_id", "benefits_report_id"}


def patterns_with_ids(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from patterns_with_ids(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = entry.pattern.converters
            ids = [name for name, conv in converters.items() if conv.regex == "[0-9]+"]
            if ids:
                yield f"{namespace}{entry.name}", list(converters)


@pytest.fixture
def world():
    office_a = FieldOfficeFactory()
    partner_a = PartnerFactory(field_office=office_a, legal_name="Alpha Partner")
    partner_b = PartnerFactory(legal_name="Bravo Secret Partner", security={"validated": True})
    b = {
        "partner_id": partner_b.pk,
        "site_id": SiteFactory(partner=partner_b).pk,
        "identifier_id": IdentifierFactory(partner=partner_b).pk,
        "membership_id": MembershipFactory(partner=partner_b).pk,
        "enrollment_id": partner_b.enrollments.get().pk,
        "invitation_id": Invitation.objects.create(
            partner=partner_b,
            email="invitee@bravo.example",
            role="user",
            token_digest="2" * 64,
            invited_by=UserFactory(field_office=partner_b.field_office),
            expires_at=timezone.now() + timedelta(days=1),
        ).pk,
    }
    trade = EnrollmentFactory(
        partner=partner_b,
        program="trade_compliance",
        status="suspended",
        status_before_suspension="accepted",
        accepted_on=date(2024, 1, 1),
        suspended_on=timezone.localdate(),
    )
    b["plan_id"] = CorrectiveActionPlanFactory(
        enrollment=trade, submitted=True, summary="Bravo Secret Partner plan"
    ).pk
    b["appeal_id"] = Appeal.objects.create(
        enrollment=trade,
        decision=EnrollmentEvent.objects.create(
            enrollment=trade, move="suspend", to_status="suspended"
        ),
        appealed_status="suspended",
        grounds="Bravo Secret Partner grounds",
        filed_by=UserFactory(role="partner"),
        filed_on=timezone.localdate(),
    ).pk
    b |= validation_objects_of(partner_b)
    b |= forced_labor_objects_of(partner_b)
    b |= benefits_objects_of(partner_b)
    b |= profile_objects_of(partner_b)
    from notifications.models import Notification

    b["notification_id"] = Notification.objects.create(
        recipient=MembershipFactory(partner=partner_b).user,
        title="Bravo Secret Partner news",
        url=f"/partners/{partner_b.pk}/",
    ).pk
    from deadlines.models import Consequence, ExtensionRequest

    b["extension_id"] = ExtensionRequest.objects.create(
        partner=partner_b,
        key="profile_review:1:2027-01-01",
        deadline_label="Bravo Secret review",
        due_on=date(2027, 1, 1),
        requested_until=date(2027, 2, 1),
        reason="Bravo Secret reason",
        requested_by=MembershipFactory(partner=partner_b).user,
    ).pk
    b["consequence_id"] = Consequence.objects.create(
        partner=partner_b,
        key="forced_labor:1:2023-08-01",
        kind="suspend_trade_compliance",
        label="Suspend Trade Compliance (forced-labor documentation overdue)",
        deadline_label="Bravo Secret documentation",
        due_on=date(2023, 8, 1),
    ).pk
    return {
        "partner_user_of_a": MembershipFactory(partner=partner_a, officer=True).user,
        "specialist_of_a": UserFactory(specialist=True, field_office=office_a),
        "partner_b": partner_b,
        "ids_of_b": b,
    }


def validation_objects_of(partner):
    """A validation of partner B with a request, an upload, a required action and a report."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from validations.models import (
        ActionDocument,
        DocumentRequest,
        DocumentUpload,
        Finding,
        IssuedReport,
        RequiredAction,
    )
    from validations.selectors import criteria_in_force

    validation = ValidationFactory(
        enrollment=partner.enrollments.get(program="security"), status="approved"
    )
    uploader = MembershipFactory(partner=partner).user
    request = DocumentRequest.objects.create(
        validation=validation,
        name="Risk assessment",
        due_on=timezone.localdate(),
        requested_by=validation.lead,
        status="uploaded",
    )
    stored = default_storage.save("crawl/secret.pdf", ContentFile(pdf_bytes()))
    file_fields = {
        "stored_name": stored,
        "original_name": "Bravo Secret Partner.pdf",
        "kind": "pdf",
        "size": 10,
        "sha256": "0" * 64,
        "uploaded_by": uploader,
        "scan_status": "clean",  # downloadable: only tenancy keeps it from outsiders
    }
    upload = DocumentUpload.objects.create(request=request, **file_fields)
    version = criteria_in_force(partner.entity_type, timezone.localdate())[0]
    finding = Finding.objects.create(
        validation=validation,
        criterion_version=version,
        result="required_action",
        narrative="Bravo Secret Partner must fix its seals",
    )
    action = RequiredAction.objects.create(finding=finding, due_on=timezone.localdate())
    document = ActionDocument.objects.create(
        action=action,
        **(
            file_fields
            | {"stored_name": default_storage.save("crawl/e.pdf", ContentFile(pdf_bytes()))}
        ),
    )
    report = IssuedReport.objects.create(
        validation=validation,
        version=1,
        status="ready",
        snapshot={},
        stored_name=stored,
        requested_by=validation.approving_supervisor,
    )
    return {
        "validation_id": validation.pk,
        "request_id": request.pk,
        "upload_id": upload.pk,
        "action_id": action.pk,
        "document_id": document.pk,
        "report_id": report.pk,
    }


def forced_labor_objects_of(partner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forced_labor import services as forced_labor
    from forced_labor.models import Requirement

    requirement = Requirement.objects.get(number=2)
    submission = forced_labor.submission_create(
        actor=MembershipFactory(partner=partner).user,
        partner=partner,
        requirement=requirement,
        title="Bravo Secret Partner code",
        effective_on=timezone.localdate(),
        files=[SimpleUploadedFile("bravo.pdf", pdf_bytes())],
        public_url="https://bravo.example",
    )
    return {
        "requirement_id": requirement.pk,
        "submission_id": submission.pk,
        "file_id": submission.files.get().pk,
    }


def profile_objects_of(partner):
    """Partner B's Security Profile: an accepted version and a submitted update with a
    document on file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from profiles import services as profiles

    accepted_profile(partner)
    officer = MembershipFactory(partner=partner, officer=True).user
    profile = profiles.profile_start(actor=officer, partner=partner)
    answer = profile.answers.select_related("profile__partner").first()
    answer.profile = profile
    profiles.answer_save(
        actor=officer,
        answer=answer,
        data={"implemented": "yes", "narrative": "Bravo Secret Partner narrative"},
        files=[SimpleUploadedFile("bravo-evidence.pdf", pdf_bytes())],
    )
    profiles.profile_submit(
        actor=officer,
        profile=profile,
        signed_name="Bravo Secret Partner officer",
        signed_title="President",
        signed_on=timezone.localdate(),
        agreement_version="2020-03",
    )
    return {
        "profile_id": profile.pk,
        "answer_id": answer.pk,
        "profile_document_id": answer.evidence.get().pk,
    }


def benefits_objects_of(partner):
    """Partner B's figures and participation, and the shared objects of benefits."""
    from benefits import services as benefits
    from benefits.models import Agency, AgencyOffering, BenefitsReport
    from benefits.selectors import report_snapshot

    supervisor = UserFactory(supervisor=True, field_office=partner.field_office)
    benefits.observation_record(
        actor=supervisor,
        partner=partner,
        data={
            "period": timezone.localdate().replace(day=1),
            "shipments": 10,
            "examinations": 1,
            "holds": 0,
            "source": "Bravo Secret Partner extract",
        },
    )
    offering = AgencyOffering.objects.create(
        agency=Agency.objects.create(code="FDA", name="FDA"),
        name="Pilot",
        kind="pilot",
        description="A pilot",
    )
    benefits.participation_add(
        actor=supervisor,
        partner=partner,
        data={"offering": offering, "since": timezone.localdate()},
    )
    proposal = benefits.proposal_create(
        actor=supervisor,
        data={
            "title": "A proposal",
            "sponsor_kind": "cbp",
            "sponsor": "CBP",
            "program": "security",
            "rationale": "Because",
            "metric": "examination_rate",
        },
    )
    report = BenefitsReport.objects.create(
        year=2025,
        version=1,
        status="ready",
        snapshot=report_snapshot(2025),
        requested_by=supervisor,
        stored_name=validation_report_name(),
    )
    return {"proposal_id": proposal.pk, "benefits_report_id": report.pk}


def validation_report_name():
    from validations.models import IssuedReport

    return IssuedReport.objects.order_by("pk").last().stored_name


def url_for(name, params, ids):
    kwargs = {}
    for param in params:
        if param == "move":
            kwargs[param] = "close" if name.startswith("validations:") else "suspend"
        elif param == "token":
            kwargs[param] = "x"
        else:
            assert param in ids, (
                f"{name} takes {param}: add partner B's {param} to the tenancy crawl"
            )
            kwargs[param] = ids[param]
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("who", ["partner_user_of_a", "specialist_of_a"])
def test_no_url_with_an_id_shows_another_partners_data(client, world, who):
    client.force_login(world[who])
    secret = world["partner_b"].legal_name
    crawled = 0
    for name, params in patterns_with_ids():
        if name.startswith("admin:"):
            continue  # the admin is for administrators only; tested separately
        url = url_for(name, params, world["ids_of_b"])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            body = content.decode(errors="replace")
            allowed = REFUSED | {302} | ({200} if NOT_PARTNER_DATA & set(params) else set())
            assert response.status_code in allowed, (
                f"{who} {method.upper()} {url} -> {response.status_code}"
            )
            assert secret not in body, f"{who} {method.upper()} {url} leaked partner B"
            if response.status_code == 302:
                assert str(world["ids_of_b"]["partner_id"]) not in response.url
        crawled += 1
    assert crawled >= 10


def test_the_admin_is_refused_to_everyone_but_administrators(client, world):
    client.force_login(world["specialist_of_a"])
    url = reverse("admin:partners_partner_change", args=[world["partner_b"].pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
