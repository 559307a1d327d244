from datetime import date, timedelta

import pytest

from ctpat.errors import DomainError
from ctpat.models import OutboxMessage
from tests.validations.conftest import first_must, record_all, to_review
from validations import selectors, services
from validations.choices import ReportStatus, Status
from validations.models import CriterionVersion, IssuedReport, ValidationEvent

pytestmark = pytest.mark.django_db


def test_planning_sets_up_one_finding_per_applicable_criterion_and_the_standard_requests(
    people, planned
):
    expected = selectors.criteria_in_force("us_importer", planned.criteria_date)
    assert planned.findings.count() == len(expected) > 30
    assert sorted(planned.document_requests.values_list("name", flat=True)) == [
        "Business partner screening procedure",
        "Risk assessment",
        "Seal control procedure",
        "Security training records",
        "Social compliance program",
    ]
    assert planned.status == Status.PLANNED
    assert ValidationEvent.objects.get(validation=planned).actor == people["supervisor"]


def test_a_validation_keeps_the_criteria_version_of_its_date():
    before = {
        v.criterion.code: v for v in selectors.criteria_in_force("us_importer", date(2022, 6, 1))
    }
    after = {
        v.criterion.code: v for v in selectors.criteria_in_force("us_importer", date(2023, 6, 1))
    }
    assert before["3.9"].level == "should" and after["3.9"].level == "must"
    carrier = {
        v.criterion.code for v in selectors.criteria_in_force("highway_carrier", date(2023, 6, 1))
    }
    assert "3.9" not in carrier and "5.6" in carrier


def test_a_catalogue_change_does_not_change_a_planned_validation(planned):
    finding = planned.findings.get(criterion_version__criterion__code="1.1")
    CriterionVersion.objects.create(
        criterion=finding.criterion_version.criterion,
        effective_from=planned.criteria_date - timedelta(days=1),
        level="must",
        text="A new wording",
    )
    finding.refresh_from_db()
    assert finding.criterion_version.text != "A new wording"


def test_only_a_supervisor_of_the_office_plans(people):
    with pytest.raises(DomainError, match="Only a supervisor"):
        services.validation_plan(
            actor=people["specialist"],
            enrollment=people["enrollment"],
            kind="initial",
            mode="virtual",
            lead=people["specialist"],
            planned_start=date.today(),
            planned_end=date.today(),
        )


def test_an_applicant_cannot_be_validated(people):
    people["enrollment"].status = "applicant"
    people["enrollment"].save()
    with pytest.raises(DomainError, match="must be certified or validated"):
        services.validation_plan(
            actor=people["supervisor"],
            enrollment=people["enrollment"],
            kind="initial",
            mode="virtual",
            lead=people["specialist"],
            planned_start=date.today(),
            planned_end=date.today(),
        )


def test_the_report_cannot_be_submitted_while_criteria_lack_a_result(people, planned):
    s = people["specialist"]
    services.validation_start(validation=planned, actor=s)
    services.validation_draft(validation=planned, actor=s)
    with pytest.raises(DomainError, match="criteria have no result yet"):
        services.validation_submit(validation=planned, actor=s)
    planned.refresh_from_db()
    assert planned.status == Status.REPORT_DRAFTING


def test_a_required_action_needs_its_narrative(people, planned):
    s = people["specialist"]
    services.validation_start(validation=planned, actor=s)
    first = first_must(planned)
    with pytest.raises(DomainError, match="say what was found"):
        services.findings_record(
            validation=planned, actor=s, results={first.pk: ("required_action", " ")}
        )


def test_a_forbidden_move_is_refused_and_recorded_nowhere(people, planned):
    with pytest.raises(
        DomainError,
        match="“Submit for supervisor review” is not possible: the validation is planned.",
    ):
        services.validation_submit(validation=planned, actor=people["specialist"])
    assert not ValidationEvent.objects.filter(validation=planned, move="submit").exists()


def test_someone_outside_the_team_cannot_work_on_it(people, planned):
    from tests.factories import UserFactory

    colleague = UserFactory(specialist=True, field_office=people["supervisor"].field_office)
    with pytest.raises(DomainError, match="Only the validation's team"):
        services.validation_start(validation=planned, actor=colleague)


def test_the_supervisor_returns_with_a_comment_then_approves_and_the_partner_is_validated(
    people, in_review, django_capture_on_commit_callbacks
):
    sup = people["supervisor"]
    with pytest.raises(DomainError, match="Say what should change"):
        services.validation_return(validation=in_review, actor=sup, comment="")
    returned = services.validation_return(
        validation=in_review, actor=sup, comment="Explain 1.1 better"
    )
    assert returned.status == Status.REPORT_DRAFTING
    services.validation_submit(validation=in_review, actor=people["specialist"])
    with pytest.raises(DomainError, match="Only a supervisor"):
        services.validation_approve(validation=in_review, actor=people["specialist"], tier=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = services.validation_approve(validation=in_review, actor=sup, tier=2)
    # the report render is outbox work sent after commit (with the emails), and done
    assert callbacks
    render = OutboxMessage.objects.get(task="validations.render_report")
    assert render.kwargs == {"report_id": report.pk} and render.done_at is not None
    in_review.refresh_from_db()
    enrollment = people["enrollment"]
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.tier, enrollment.last_validated_on) == (
        "validated",
        2,
        date.today(),
    )
    action = in_review.findings.get(result="required_action").action
    assert action.due_on == date.today() + timedelta(days=90)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.version == 1
    assert report.sha256 and report.size > 1000


def test_a_failed_validation_records_a_suspension_recommendation(people, in_review):
    services.validation_approve(validation=in_review, actor=people["supervisor"], tier=None)
    assert ValidationEvent.objects.filter(
        validation=in_review, move="recommend_suspension"
    ).exists()
    people["enrollment"].refresh_from_db()
    assert people["enrollment"].status == "certified"


def test_the_partner_answers_a_required_action_and_the_specialist_accepts(people, in_review):
    services.validation_approve(validation=in_review, actor=people["supervisor"], tier=2)
    action = in_review.findings.get(result="required_action").action
    with pytest.raises(DomainError, match="Describe the corrective action"):
        services.required_action_respond(action=action, actor=people["partner_user"], response="")
    services.required_action_respond(
        action=action, actor=people["partner_user"], response="New seal log in place"
    )
    with pytest.raises(DomainError, match="Say what is still missing"):
        services.required_action_decide(action=action, actor=people["specialist"], accept=False)
    services.required_action_decide(
        action=action, actor=people["specialist"], accept=False, comment="Send a sample page"
    )
    services.required_action_respond(
        action=action, actor=people["partner_user"], response="Sample attached"
    )
    services.required_action_decide(action=action, actor=people["specialist"], accept=True)
    action.refresh_from_db()
    assert action.status == "accepted"
    closed = services.validation_close(validation=in_review, actor=people["specialist"])
    assert closed.status == Status.CLOSED


def test_a_validation_with_open_actions_cannot_close(people, in_review):
    services.validation_approve(validation=in_review, actor=people["supervisor"], tier=2)
    with pytest.raises(DomainError, match="must be accepted before closing"):
        services.validation_close(validation=in_review, actor=people["specialist"])


def test_reissuing_makes_a_new_version_and_leaves_the_first_alone(
    people, in_review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.validation_approve(
            validation=in_review, actor=people["supervisor"], tier=2
        )
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.report_issue(validation=in_review, actor=people["supervisor"])
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.stored_name != second.stored_name
    assert IssuedReport.objects.get(pk=first.pk).sha256 == first.sha256


def test_a_report_that_fails_to_render_can_be_retried(
    people, in_review, settings, tmp_path, django_capture_on_commit_callbacks
):
    # A real failure: the file store cannot be written (its folder is a file).
    good_media = settings.MEDIA_ROOT
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked
    with django_capture_on_commit_callbacks(execute=True):
        report = services.validation_approve(
            validation=in_review, actor=people["supervisor"], tier=2
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "Error" in report.error
    settings.MEDIA_ROOT = good_media
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(report=report, actor=people["supervisor"])
    report.refresh_from_db()
    assert report.status == ReportStatus.READY


def test_verify_reports_finds_a_changed_file(
    people, in_review, capsys, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        report = services.validation_approve(
            validation=in_review, actor=people["supervisor"], tier=2
        )
    report.refresh_from_db()
    call_command("verify_reports")
    assert "1 reports checked, 0 mismatched." in capsys.readouterr().out
    with default_storage.open(report.stored_name, "wb") as stored:
        stored.write(b"%PDF-1.4 tampered")
    with pytest.raises(SystemExit):
        call_command("verify_reports")
    assert f"MISMATCH report {report.pk}" in capsys.readouterr().out


def test_documents_on_file_answer_a_new_request(
    people, in_review, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_bytes
    from validations.models import DocumentRequest

    request = DocumentRequest.objects.create(
        validation=in_review,
        name="Risk assessment, signed",
        due_on=date.today(),
        requested_by=people["specialist"],
        status="requested",
    )
    with django_capture_on_commit_callbacks(execute=True):  # its scan: "not scanned"
        upload = services.document_upload(
            request=request,
            actor=people["partner_user"],
            file=SimpleUploadedFile("risk.pdf", pdf_bytes(), "application/pdf"),
        )
    upload.refresh_from_db()
    later = DocumentRequest.objects.create(
        validation=in_review,
        name="Risk assessment again",
        due_on=date.today(),
        requested_by=people["specialist"],
        status="requested",
    )
    services.document_request_satisfy_on_file(
        request=later, actor=people["specialist"], upload=upload
    )
    later.refresh_from_db()
    assert later.status == "on_file" and later.on_file == upload
    assert upload in selectors.documents_on_file(people["partner"].pk)


def test_report_snapshot_holds_what_the_report_shows(people, in_review):
    report = services.validation_approve(validation=in_review, actor=people["supervisor"], tier=2)
    snapshot = selectors.report_snapshot(report.validation)
    assert snapshot["partner"]["account_number"] == people["partner"].account_number
    assert snapshot["outcome"] == "Tier 2"
    assert {f["result"] for f in snapshot["findings"]} == {"meets", "required_action"}
    record_all  # noqa: B018 - imported for the fixtures module


def test_open_requests_and_actions_show_as_partner_deadlines(people, planned):
    from ctpat.deadlines import deadlines_for_partner

    partner = people["partner"]

    def kinds():
        enrollments = list(partner.enrollments.all())
        return {d.kind for d in deadlines_for_partner(partner, enrollments=enrollments)}

    services.validation_request_documents(validation=planned, actor=people["specialist"])
    assert "document_request" in kinds()
    to_review(people, planned)
    services.validation_approve(validation=planned, actor=people["supervisor"], tier=2)
    # Approval waited for every request, so none is left to remind the partner of.
    assert "required_action" in kinds() and "document_request" not in kinds()
