"""The profile pages: who sees them, what they offer, and query counts that do not grow."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from profiles import services
from profiles.models import ProfileAnswer, ProfileDocument
from tests.factories import MembershipFactory, UserFactory, accepted_profile, pdf_bytes

from .conftest import answers, fill, sign

pytestmark = pytest.mark.django_db


def with_evidence(profile, actor, per_answer):
    """Attach `per_answer` documents on file to every answer (rows, not files: the pages
    only list them)."""
    documents = [
        ProfileDocument.objects.create(
            partner=profile.partner,
            stored_name=f"profiles/{profile.pk}-{n}.pdf",
            original_name=f"evidence-{n}.pdf",
            kind="pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=actor,
            scan_status="clean",
        )
        for n in range(per_answer)
    ]
    Through = ProfileAnswer.evidence.through
    Through.objects.bulk_create(
        Through(profileanswer_id=a.pk, profiledocument_id=d.pk)
        for a in profile.answers.all()
        for d in documents
    )


def test_the_owner_and_a_colleague_see_the_profile_an_outsider_does_not(
    client, draft, officer, colleague
):
    url = reverse("profiles:version", args=[draft.pk])
    for person, status in [
        (officer, 200),
        (colleague, 200),
        (MembershipFactory(officer=True).user, 404),
        (UserFactory(specialist=True), 404),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status
        if status == 200:
            assert draft.partner.legal_name in client.get(url).content.decode()


def test_the_draft_is_worked_by_category_with_progress_and_flags(client, draft, colleague):
    first = answers(draft)[0]
    services.answer_save(
        actor=colleague, answer=first, data={"implemented": "yes", "answer_later": True}
    )
    client.force_login(colleague)
    page = client.get(reverse("profiles:version", args=[draft.pk])).content.decode()
    category = first.criterion_version.criterion.category
    assert f'data-testid="category-{category.number}"' in page
    assert 'data-testid="answer-later"' in page
    assert 'data-action="answer-edit"' in page
    assert 'data-action="profile-submit"' not in page  # only the company officer signs


def test_the_answer_form_saves_and_resumes_with_an_upload(client, draft, officer):
    first, second = answers(draft)[:2]
    client.force_login(officer)
    url = reverse("profiles:answer", args=[first.pk])
    assert first.criterion_version.text[:40] in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "implemented": "partly",
            "narrative": "Half the docks",
            "files": [SimpleUploadedFile("dock.pdf", pdf_bytes())],
            "next": "",
        },
    )
    assert response.url == reverse("profiles:answer", args=[second.pk])
    first.refresh_from_db()
    assert first.implemented == "partly" and first.evidence.get().original_name == "dock.pdf"
    refused = client.post(url, {"implemented": "not_applicable"})
    assert "Say why the criterion does not apply" in refused.content.decode()


def test_the_signature_page_submits_and_warns_of_a_half_blank_profile(client, draft, officer):
    client.force_login(officer)
    url = reverse("profiles:submit", args=[draft.pk])
    unconfirmed = client.post(url, {"signed_name": "Pat", "signed_title": "CEO"})
    assert "This field is required" in unconfirmed.content.decode()
    response = client.post(
        url,
        {
            "signed_name": "Pat",
            "signed_title": "CEO",
            "signed_on": timezone.localdate().isoformat(),
            "agreement_version": "2020-03",
            "confirm": "on",
        },
        follow=True,
    )
    assert "blank: complete it by" in response.content.decode()
    assert 'data-testid="blank-flag"' in response.content.decode()


def test_the_partner_page_says_why_certification_is_not_offered(client, partner, specialist):
    partner.enrollments.update(status="under_review")
    client.force_login(UserFactory(supervisor=True, field_office=partner.field_office))
    url = reverse("partners:detail", args=[partner.pk])
    page = client.get(url).content.decode()
    assert 'data-action="enrollment-certify"' not in page
    assert "Certification needs an accepted Security Profile" in page
    accepted_profile(partner, answers=False)
    page = client.get(url).content.decode()
    assert 'data-action="enrollment-certify"' in page
    assert "Certification needs an accepted Security Profile" not in page


def test_the_partner_timeline_shows_submissions_and_decisions(client, draft, officer, specialist):
    fill(draft, officer)
    submitted = sign(draft, officer)
    submitted.answers.update(review="accepted")
    services.profile_decide(actor=specialist, profile=submitted, comment="All in order")
    client.force_login(specialist)
    page = client.get(reverse("partners:detail", args=[draft.partner_id])).content.decode()
    assert "Security Profile version 1 submitted, signed by Pat Officer" in page
    assert "Security Profile version 1 accepted" in page


@pytest.mark.parametrize("per_answer", [1, 4])
def test_the_version_page_query_count_does_not_grow(
    client, draft, officer, django_assert_max_num_queries, per_answer
):
    with_evidence(draft, officer, per_answer)
    client.force_login(officer)
    # Session, user, second-factor device, unread count; the profile, its answers, their
    # evidence; the member check.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("profiles:version", args=[draft.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("per_answer", [1, 4])
def test_the_review_page_query_count_does_not_grow(
    client, draft, officer, specialist, django_assert_max_num_queries, per_answer
):
    fill(draft, officer)
    submitted = sign(draft, officer)
    with_evidence(submitted, officer, per_answer)
    client.force_login(specialist)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("profiles:review", args=[submitted.pk]))
    assert response.status_code == 200
    assert 'data-action="answer-review"' in response.content.decode()


@pytest.mark.parametrize("versions", [1, 4])
def test_the_profile_history_and_the_queue_query_counts_do_not_grow(
    client, partner, officer, specialist, django_assert_max_num_queries, versions
):
    for _ in range(versions):
        accepted_profile(partner, answers=False)
    draft = services.profile_start(actor=officer, partner=partner)
    sign(draft, officer)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("profiles:partner", args=[partner.pk]))
    assert response.status_code == 200
    client.force_login(specialist)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("profiles:queue"))
    assert partner.legal_name in response.content.decode()


@pytest.mark.parametrize("per_answer", [1, 4])
def test_the_diff_page_query_count_does_not_grow(
    client, partner, officer, django_assert_max_num_queries, per_answer
):
    base = accepted_profile(partner)
    with_evidence(base, officer, per_answer)
    update = services.profile_start(actor=officer, partner=partner)
    services.answer_save(actor=officer, answer=answers(update)[0], data={"implemented": "no"})
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("profiles:diff", args=[update.pk]))
    assert response.status_code == 200
    assert 'data-testid="diff"' in response.content.decode()
