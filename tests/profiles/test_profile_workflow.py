"""The Security Profile from the first draft to acceptance, and each rule on the way."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEvent
from ctpat.errors import DomainError
from notifications.models import Notification
from partners import services as partner_services
from profiles import deadlines, selectors, services
from profiles.models import ProfileAnswer, ProfileDocument, SecurityProfile
from tests.factories import (
    MembershipFactory,
    PartnerFactory,
    pdf_bytes,
    set_rule,
)
from validations.selectors import criteria_in_force

from .conftest import answers, fill, sign

pytestmark = pytest.mark.django_db


def test_a_first_profile_has_one_blank_answer_per_applicable_criterion(partner, draft):
    in_force = criteria_in_force(partner.entity_type, timezone.localdate())
    assert draft.version == 1 and draft.status == "draft" and draft.kind == "first"
    assert {a.criterion_version_id for a in draft.answers.all()} == {v.pk for v in in_force}
    assert all(a.is_blank for a in draft.answers.all())


def test_only_the_partners_users_start_a_profile_and_one_at_a_time(partner, officer, draft):
    with pytest.raises(DomainError, match="Version 1 is still open"):
        services.profile_start(actor=officer, partner=partner)
    outsider = MembershipFactory(partner=PartnerFactory()).user
    with pytest.raises(DomainError, match="Only users of"):
        services.profile_start(actor=outsider, partner=partner)
    assert SecurityProfile.objects.count() == 1


def test_an_answer_is_saved_with_evidence_uploaded_and_picked_from_file(draft, colleague):
    first, second = answers(draft)[:2]
    services.answer_save(
        actor=colleague,
        answer=first,
        data={"implemented": "partly", "narrative": "Seals checked", "owner": "Dock lead"},
        files=[SimpleUploadedFile("seal-log.pdf", pdf_bytes())],
    )
    kept = ProfileDocument.objects.get()
    assert (kept.partner_id, kept.original_name) == (draft.partner_id, "seal-log.pdf")
    services.answer_save(
        actor=colleague, answer=second, data={"implemented": "yes"}, on_file=[kept]
    )
    assert list(ProfileAnswer.objects.get(pk=second.pk).evidence.all()) == [kept]
    first.refresh_from_db()
    assert (first.implemented, first.owner) == ("partly", "Dock lead")
    recorded = AuditEvent.objects.filter(object_id=str(first.pk), event="updated")
    assert recorded.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"implemented": "not_applicable"}, "not_applicable_reason", "does not apply"),
        (
            {"implemented": "yes", "last_reviewed_on": timezone.localdate() + timedelta(days=1)},
            "last_reviewed_on",
            "future",
        ),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(draft, officer, data, field, message):
    answer = answers(draft)[0]
    with pytest.raises(DomainError, match=message) as raised:
        services.answer_save(actor=officer, answer=answer, data=data)
    assert raised.value.field == field
    answer.refresh_from_db()
    assert answer.is_blank


def test_another_partners_document_cannot_be_picked(draft, officer):
    other = PartnerFactory()
    foreign = ProfileDocument.objects.create(
        partner=other,
        stored_name="profiles/x.pdf",
        original_name="x.pdf",
        kind="pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=officer,
        scan_status="clean",
    )
    with pytest.raises(DomainError, match="this company only"):
        services.answer_save(
            actor=officer, answer=answers(draft)[0], data={"implemented": "yes"}, on_file=[foreign]
        )


def test_only_the_company_officer_signs_and_the_signature_is_complete(draft, colleague, officer):
    fill(draft, colleague)
    with pytest.raises(DomainError, match="Only the company officer"):
        sign(draft, colleague)
    for over, field in [
        ({"signed_name": " "}, "signed_name"),
        ({"signed_title": ""}, "signed_title"),
        ({"signed_on": timezone.localdate() + timedelta(days=1)}, "signed_on"),
        ({"agreement_version": "1999"}, "agreement_version"),
    ]:
        with pytest.raises(DomainError) as raised:
            sign(draft, officer, **over)
        assert raised.value.field == field
    draft.refresh_from_db()
    assert draft.status == "draft"
    submitted = sign(draft, officer)
    assert (submitted.status, submitted.signed_name, submitted.agreement_version) == (
        "submitted",
        "Pat Officer",
        "2020-03",
    )
    assert submitted.blank_fix_due_on is None
    with pytest.raises(DomainError, match="already submitted"):
        sign(draft, officer)


def test_a_profile_submitted_more_than_half_blank_is_flagged_for_14_days(partner, draft, officer):
    fill(draft, officer, share=0.3)
    submitted = sign(draft, officer)
    assert submitted.blank_percent == 70 or submitted.blank_percent > 50
    assert submitted.blank_fix_due_on == timezone.localdate() + timedelta(days=14)
    kind = deadlines.KINDS[0]
    page = list(kind.for_partner(partner))
    assert [d.due_on for d in page] == [submitted.blank_fix_due_on]
    far = timezone.localdate() + timedelta(days=30)
    assert [i.key for i in kind.due_items(far, partner_ids=[partner.pk])] == [page[0].key]


def test_the_blank_rule_is_read_from_the_rules_table(draft, officer):
    set_rule("blank_profile_fix_days", 21)
    set_rule("blank_profile_percent", 80)
    fill(draft, officer, share=0.3)
    assert sign(draft, officer).blank_fix_due_on is None  # 70% blank is not more than 80%


def _review_all(profile, specialist, needs_info=()):
    for answer in selectors.answers_of(profile):
        code = answer.criterion_version.criterion.code
        services.answer_review(
            actor=specialist,
            answer=answer,
            accept=code not in needs_info,
            comment="Attach the seal log." if code in needs_info else "",
        )


def test_returned_criteria_go_back_alone_and_acceptance_lets_certification_through(
    partner, draft, officer, specialist
):
    fill(draft, officer)
    submitted = sign(draft, officer)
    returned_code = answers(submitted)[0].criterion_version.criterion.code
    with pytest.raises(DomainError, match="Say what more information"):
        services.answer_review(
            actor=specialist, answer=selectors.answers_of(submitted)[0], accept=False
        )
    with pytest.raises(DomainError, match="not reviewed yet"):
        services.profile_decide(actor=specialist, profile=submitted)
    _review_all(submitted, specialist, needs_info={returned_code})
    decided = services.profile_decide(actor=specialist, profile=submitted)
    assert decided.status == "returned"
    assert Notification.objects.filter(recipient=officer, title__contains="returned").exists()

    correction = services.profile_start(actor=officer, partner=partner)
    assert correction.kind == "correction" and correction.based_on_id == submitted.pk
    rows = answers(correction)
    returned = next(a for a in rows if a.criterion_version.criterion.code == returned_code)
    accepted = next(a for a in rows if a is not returned)
    assert returned.review == "" and returned.review_comment == "Attach the seal log."
    with pytest.raises(DomainError, match="only the returned criteria"):
        services.answer_save(actor=officer, answer=accepted, data={"implemented": "no"})
    services.answer_save(
        actor=officer, answer=returned, data={"implemented": "yes", "narrative": "Log attached"}
    )
    resubmitted = sign(correction, officer)
    assert selectors.undecided_count(selectors.answers_of(resubmitted)) == 1  # only that one

    enrollment = partner.enrollments.get()
    partner_services.enrollment_start_review(enrollment=enrollment, actor=specialist, reason="ok")
    with pytest.raises(DomainError, match="accepted Security Profile"):
        partner_services.enrollment_certify(enrollment=enrollment, actor=specialist, reason="ok")
    _review_all(resubmitted, specialist)
    assert services.profile_decide(actor=specialist, profile=resubmitted).status == "accepted"
    assert set(selectors.accepted_answers(partner)) == {
        a.criterion_version.criterion_id for a in rows
    }
    partner_services.enrollment_certify(enrollment=enrollment, actor=specialist, reason="ok")
    enrollment.refresh_from_db()
    assert enrollment.status == "certified"


def test_a_later_complete_version_clears_the_blank_flag(partner, draft, officer, specialist):
    fill(draft, officer, share=0.2)
    flagged = sign(draft, officer)
    blank = {a.criterion_version.criterion.code for a in answers(flagged) if a.is_blank}
    _review_all(flagged, specialist, needs_info=blank)
    services.profile_decide(actor=specialist, profile=flagged)
    correction = services.profile_start(actor=officer, partner=partner)
    for answer in answers(correction):
        if answer.review != "accepted":  # only the returned criteria can be answered
            services.answer_save(actor=officer, answer=answer, data={"implemented": "yes"})
    sign(correction, officer)
    flagged.refresh_from_db()
    assert flagged.blank_fixed_at is not None
    assert list(deadlines.KINDS[0].for_partner(partner)) == []


def test_staff_of_another_office_cannot_review(draft, officer):
    from tests.factories import UserFactory

    fill(draft, officer)
    submitted = sign(draft, officer)
    elsewhere = UserFactory(specialist=True)
    with pytest.raises(DomainError, match="another field office"):
        services.answer_review(
            actor=elsewhere, answer=selectors.answers_of(submitted)[0], accept=True
        )


def test_closing_a_required_action_asks_the_partner_to_update_its_answers(partner, officer):
    from tests.factories import ValidationFactory
    from validations import services as validation_services
    from validations.models import RequiredAction

    partner.enrollments.update(status="certified", tier=1, certified_on=timezone.localdate())
    validation = ValidationFactory(enrollment=partner.enrollments.get())
    version = criteria_in_force(partner.entity_type, timezone.localdate())[0]
    finding = validation.findings.create(criterion_version=version, result="required_action")
    action = RequiredAction.objects.create(
        finding=finding, due_on=timezone.localdate(), status="response_submitted"
    )
    validation_services.required_action_decide(action=action, actor=validation.lead, accept=True)
    titles = list(Notification.objects.filter(recipient=officer).values_list("title", flat=True))
    assert any(f"answer on criterion {version.criterion.code}" in t for t in titles), titles


def test_exactly_half_blank_is_not_more_than_half(draft, officer):
    rows = answers(draft)
    answered = len(rows) - len(rows) // 2  # blank: half, rounded down
    for row in rows[:answered]:
        services.answer_save(actor=officer, answer=row, data={"implemented": "yes"})
    assert sign(draft, officer).blank_fix_due_on is None
