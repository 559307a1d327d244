import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forced_labor import services
from forced_labor.models import Submission
from tests.factories import EnrollmentFactory, MembershipFactory, PartnerFactory, pdf_bytes
from tests.forced_labor.conftest import pdf

pytestmark = pytest.mark.django_db


def post_upload(client, tc, name, content, token=None, requirement=None):
    requirement = requirement or tc["evidence"]
    url = reverse("forced_labor:submit", args=[tc["partner"].pk, requirement.pk])
    return client.post(
        url,
        {
            "title": "Training",
            "effective_on": date.today().isoformat(),
            "files": SimpleUploadedFile(name, content),
            "submission": token or str(uuid.uuid4()),
        },
    )


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 80, "is not a PDF, Word (DOCX)"),
        ("report.docx", pdf_bytes(), "is a PDF file but its name says otherwise"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_bad_uploads_get_a_clear_message_and_nothing_is_stored(client, tc, name, content, message):
    client.force_login(tc["officer"])
    assert message in post_upload(client, tc, name, content).content.decode()
    assert not Submission.objects.exists()


def test_an_upload_over_the_limit_is_refused(client, tc, settings):
    settings.UPLOAD_MAX_BYTES = 500
    client.force_login(tc["officer"])
    html = post_upload(client, tc, "big.pdf", pdf_bytes() + b"0" * 2000).content.decode()
    assert "big.pdf is larger than the 0 KB limit." in html or "larger than" in html
    assert not Submission.objects.exists()


def test_a_double_submit_makes_one_version(client, tc):
    client.force_login(tc["officer"])
    token = str(uuid.uuid4())
    post_upload(client, tc, "a.pdf", pdf_bytes(), token=token)
    again = post_upload(client, tc, "a.pdf", pdf_bytes(), token=token)
    assert "This form was already submitted" in again.content.decode()
    assert Submission.objects.count() == 1


def test_an_upload_to_another_partner_is_not_found(client, tc):
    client.force_login(MembershipFactory().user)
    assert post_upload(client, tc, "a.pdf", pdf_bytes()).status_code == 404
    assert not Submission.objects.exists()


def test_a_partner_user_cannot_open_the_review(client, tc):
    s = services.submission_create(
        actor=tc["officer"],
        partner=tc["partner"],
        requirement=tc["evidence"],
        title="x",
        effective_on=date.today(),
        files=[pdf()],
    )
    client.force_login(tc["officer"])
    assert client.get(reverse("forced_labor:review", args=[s.pk])).status_code == 403
    assert (
        client.post(reverse("forced_labor:review", args=[s.pk]), {"decision": "accept"}).status_code
        == 403
    )
    s.refresh_from_db()
    assert s.status == "submitted"


@pytest.mark.parametrize("count", [2, 30])
def test_the_review_queue_query_count_does_not_grow(
    client, tc, count, django_assert_max_num_queries
):
    for _ in range(count):
        partner = PartnerFactory(
            field_office=tc["partner"].field_office, security={"validated": True}
        )
        EnrollmentFactory(partner=partner, program="trade_compliance", status="under_review")
        member = MembershipFactory(partner=partner).user
        services.submission_create(
            actor=member,
            partner=partner,
            requirement=tc["evidence"],
            title="x",
            effective_on=date.today(),
            files=[pdf()],
        )
    client.force_login(tc["specialist"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("forced_labor:queue"))
    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("versions", [1, 8])
def test_the_requirements_page_query_count_does_not_grow(
    client, tc, versions, django_assert_max_num_queries
):
    for _ in range(versions):
        services.submission_create(
            actor=tc["officer"],
            partner=tc["partner"],
            requirement=tc["evidence"],
            title="x",
            effective_on=date.today(),
            files=[pdf(), pdf("b.pdf")],
        )
    client.force_login(tc["officer"])
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("forced_labor:partner", args=[tc["partner"].pk]))
    assert response.status_code == 200
