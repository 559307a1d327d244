from datetime import date, timedelta

import pytest

from ctpat.errors import DomainError
from forced_labor import selectors, services
from forced_labor.models import Submission, SubmissionFile
from tests.factories import MembershipFactory, docx_bytes
from tests.forced_labor.conftest import pdf

pytestmark = pytest.mark.django_db


def submit(tc, requirement=None, files=None, **extra):
    return services.submission_create(
        actor=tc["officer"],
        partner=tc["partner"],
        requirement=requirement or tc["evidence"],
        title="Training records",
        effective_on=date.today(),
        files=files or [pdf()],
        **extra,
    )


def test_a_new_version_supersedes_the_earlier_one_which_is_kept(tc):
    first = submit(tc)
    second = submit(tc)
    first.refresh_from_db()
    assert (first.version, first.status) == (1, "superseded")
    assert (second.version, second.status) == (2, "submitted")
    assert SubmissionFile.objects.count() == 2


def test_the_code_of_conduct_needs_its_public_https_address(tc):
    with pytest.raises(DomainError, match="public https:// address"):
        submit(tc, requirement=tc["code"], public_url="http://example.com/code")
    assert submit(tc, requirement=tc["code"], public_url="https://example.com/code").public_url


def test_one_refused_file_keeps_every_file_out(tc):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("plan.docx", b"MZ\x90\x00" + b"\x00" * 50)
    with pytest.raises(DomainError, match="is not a PDF, Word"):
        submit(tc, files=[pdf(), bad])
    assert not Submission.objects.exists() and not SubmissionFile.objects.exists()


def test_several_files_in_one_version(tc):
    from django.core.files.uploadedfile import SimpleUploadedFile

    submission = submit(tc, files=[pdf("a.pdf"), SimpleUploadedFile("b.docx", docx_bytes())])
    assert sorted(submission.files.values_list("original_name", flat=True)) == ["a.pdf", "b.docx"]


def test_a_future_effective_date_is_refused(tc):
    with pytest.raises(DomainError, match="cannot be in the future"):
        services.submission_create(
            actor=tc["officer"],
            partner=tc["partner"],
            requirement=tc["evidence"],
            title="x",
            effective_on=date.today() + timedelta(days=1),
            files=[pdf()],
        )


def test_a_user_of_another_partner_cannot_submit(tc):
    outsider = MembershipFactory().user
    with pytest.raises(DomainError, match="Only users of"):
        services.submission_create(
            actor=outsider,
            partner=tc["partner"],
            requirement=tc["evidence"],
            title="x",
            effective_on=date.today(),
            files=[pdf()],
        )


def test_review_accepts_or_returns_with_a_reason_and_tells_the_partner(
    tc, mailoutbox, django_capture_on_commit_callbacks
):
    submission = submit(tc)
    with pytest.raises(DomainError, match="Say why the documentation is returned"):
        services.submission_review(actor=tc["specialist"], submission=submission, accept=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_review(
            actor=tc["specialist"], submission=submission, accept=False, reason="Unsigned"
        )
    assert mailoutbox[0].to == [tc["officer"].email]
    assert "Unsigned" in mailoutbox[0].body
    with pytest.raises(DomainError, match="already returned by"):
        services.submission_review(actor=tc["specialist"], submission=submission, accept=True)


def test_a_partner_user_cannot_review(tc):
    submission = submit(tc)
    with pytest.raises(DomainError, match="Only CBP staff"):
        services.submission_review(actor=tc["officer"], submission=submission, accept=True)


def test_states_due_date_and_overall(tc):
    partner = tc["partner"]
    state = selectors.documentation(partner)
    by_number = {row.requirement.number: row.state for row in state.rows}
    assert by_number == {
        1: "on_request",
        2: "missing",
        3: "missing",
        4: "on_request",
        5: "missing",
        6: "missing",
    }
    trade = partner.enrollments.get(program="trade_compliance")
    assert state.due_on == trade.applied_on
    assert state.overall == "overdue"  # the application was long ago
    for requirement in [row.requirement for row in state.rows if row.needs_upload]:
        s = submit(tc, requirement=requirement, public_url="https://example.com/code")
        services.submission_review(actor=tc["specialist"], submission=s, accept=True)
    assert selectors.documentation(partner).overall == "complete"
    assert partner in selectors.partners_with_accepted_documentation()


def test_partners_accepted_before_the_rule_owed_it_by_august_2023(tc):
    trade = tc["partner"].enrollments.get(program="trade_compliance")
    trade.accepted_on, trade.status = date(2021, 5, 1), "accepted"
    trade.save()
    assert selectors.documentation(tc["partner"]).due_on == date(2023, 8, 1)


def test_a_new_requirement_version_applies_from_its_date(tc):
    from forced_labor.models import RequirementVersion

    RequirementVersion.objects.create(
        requirement=tc["code"],
        effective_from=date.today() + timedelta(days=30),
        handling="on_request",
        guidance="Later rule",
    )
    today = {v.requirement.number: v.handling for v in selectors.requirements_in_force()}
    later = {
        v.requirement.number: v.handling
        for v in selectors.requirements_in_force(date.today() + timedelta(days=31))
    }
    assert (today[2], later[2]) == ("uploaded", "on_request")
