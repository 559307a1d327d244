"""Every change to validations: one function per use case, each recorded as it happens.

Validation moves follow TRANSITIONS in choices.py and write a ValidationEvent in the
same transaction. The outcome of an approved validation moves the partner's Security
enrollment through the partners services (enrollment_validate), never directly.
"""

import logging
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.choices import Role
from accounts.models import User
from ctpat import outbox, reports, scanning, uploads
from ctpat.deadlines import propose_consequence
from ctpat.errors import DomainError
from ctpat.permissions import require
from ctpat.program_rules import rule_int
from ctpat.registry import registry
from notifications.services import mark_done, notify
from partners import services as partner_services
from partners.choices import Program
from partners.choices import Status as EnrollmentStatus
from partners.models import Enrollment, Membership, Site

from . import documents, permissions, selectors
from .choices import (
    MOVE_TARGETS,
    NEEDS_NARRATIVE,
    RESULTS_BY_LEVEL,
    ActionStatus,
    Level,
    Move,
    RequestStatus,
    Result,
    Status,
)
from .deadlines import SUSPEND_SECURITY
from .models import (
    ActionDocument,
    DocumentRequest,
    DocumentUpload,
    Finding,
    IssuedReport,
    RequiredAction,
    Validation,
    ValidationEvent,
)
from .tasks import render_report

logger = logging.getLogger(__name__)


def _partner_users(validation: Validation) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            partner_id=validation.enrollment.partner_id
        ).select_related("user")
    ]


def _page(validation: Validation) -> str:
    return reverse("validations:detail", args=[validation.pk])


def review_subject(validation: Validation) -> str:
    """The notification subject of a report waiting for its supervisor's review."""
    return f"validation-review:{validation.pk}"


def response_subject(action: RequiredAction) -> str:
    """The notification subject of a partner's response waiting for the team's decision."""
    return f"required-action-response:{action.pk}"


# --- Planning -------------------------------------------------------------------------


def validation_plan(
    *,
    actor: User,
    enrollment: Enrollment,
    kind: str,
    mode: str,
    lead: User,
    planned_start: date,
    planned_end: date,
    team: Sequence[User] = (),
    sites: Sequence[Site] = (),
    approving_supervisor: User | None = None,
) -> Validation:
    """A supervisor plans a validation and assigns its lead specialist.

    The findings to record (one per criterion that applies to the partner's entity type,
    in the version in force on the start date) and the standard document requests for
    the entity type and kind are set up at once, so every validation of a kind asks the
    same and is judged by a fixed catalogue version.
    """
    partner = enrollment.partner
    if enrollment.program != Program.SECURITY:
        raise DomainError("Validations are of Security enrollments.")
    require(permissions.can_plan_validation(actor, partner, kind))
    if planned_end < planned_start:
        raise DomainError("The validation cannot end before it starts.")
    for person in [lead, *team]:
        if person.role != Role.SPECIALIST or person.field_office_id != partner.field_office_id:
            raise DomainError(f"{person} is not a specialist of the partner's field office.")
    for site in sites:
        if site.partner_id != partner.pk:
            raise DomainError(f"{site} is not a site of {partner}.")
    approver = approving_supervisor or (actor if actor.role == Role.SUPERVISOR else None)
    if approver is None:
        approver = (
            User.objects.filter(
                role=Role.SUPERVISOR, is_active=True, field_office_id=partner.field_office_id
            )
            .order_by("pk")
            .first()
        )
        if approver is None:
            raise DomainError(
                _("The partner's field office has no supervisor to approve the validation.")
            )
    if approver.role != Role.SUPERVISOR or approver.field_office_id != partner.field_office_id:
        raise DomainError(
            _("%(person)s is not a supervisor of the partner's field office.")
            % {"person": approver},
            field="approving_supervisor",
        )
    with transaction.atomic():
        validation = Validation.objects.create(
            enrollment=enrollment,
            kind=kind,
            mode=mode,
            lead=lead,
            approving_supervisor=approver,
            planned_start=planned_start,
            planned_end=planned_end,
            criteria_date=planned_start,
        )
        validation.team.set(team)
        validation.sites.set(sites)
        versions = selectors.criteria_in_force(partner.entity_type, planned_start)
        Finding.objects.bulk_create(
            Finding(validation=validation, criterion_version=v) for v in versions
        )
        due = planned_start - timedelta(days=rule_int("document_request_days_before_visit"))
        soonest = timezone.localdate() + timedelta(days=rule_int("document_request_min_days"))
        DocumentRequest.objects.bulk_create(
            DocumentRequest(
                validation=validation,
                name=t.name,
                description=t.description,
                due_on=max(due, soonest),
                requested_by=lead,
            )
            for t in selectors.request_templates(partner.entity_type, kind)
        )
        ValidationEvent.objects.create(
            validation=validation,
            move="plan",
            to_status=Status.PLANNED,
            actor=actor,
            comment=f"Planned with {lead} as lead; judged against the criteria of "
            f"{planned_start:%B %-d, %Y} ({len(versions)} criteria).",
            internal=False,
        )
        notify(
            recipients=[lead, *team],
            title=f"You are on the {validation.get_kind_display().lower()} of {partner}",
            body=f"Planned for {planned_start:%B %-d, %Y}.",
            url=_page(validation),
        )
    return validation


# --- Moves ----------------------------------------------------------------------------


def _locked(validation: Validation) -> Validation:
    """The validation's row, locked for this transaction: rules are judged on it, never on
    the caller's copy, which may be older."""
    return (
        Validation.objects.select_for_update(of=("self",))
        .select_related("enrollment__partner")
        .get(pk=validation.pk)
    )


def _move(
    *,
    validation: Validation,
    move: Move,
    actor: User,
    comment: str = "",
    internal: bool = True,
    **changes: Any,
) -> Validation:
    """Move a validation along TRANSITIONS, if this person may (MOVE_ACTORS), and record it.

    Leaving supervisor review (approved, returned or cancelled) settles the review the
    supervisor was asked for: its notification is done."""
    locked = _locked(validation)
    require(permissions.can_make_move(actor, locked, move))
    target = MOVE_TARGETS[move]
    before = locked.status
    locked.status = target
    locked.status_changed_at = timezone.now()
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    ValidationEvent.objects.create(
        validation=locked,
        move=move,
        from_status=before,
        to_status=target,
        actor=actor,
        comment=comment,
        internal=internal,
    )
    if before == Status.SUPERVISOR_REVIEW:
        mark_done(review_subject(locked), by=actor)
    return locked


def validation_request_documents(*, validation: Validation, actor: User) -> int:
    """Send the drafted document requests to the partner; returns how many were sent."""
    with transaction.atomic():
        validation = _locked(validation)
        require(permissions.can_make_move(actor, validation, Move.REQUEST_DOCUMENTS))
        drafts = validation.document_requests.filter(status=RequestStatus.DRAFT)
        if not drafts.exists():
            raise DomainError("There are no document requests to send; add at least one.")
        sending = list(drafts)
        sent = drafts.update(status=RequestStatus.REQUESTED)
        for document_request in sending:  # the update sends no signal: recorded here
            document_request.status = RequestStatus.REQUESTED
        audit.record_updated(
            ((r, {"status": RequestStatus.DRAFT}) for r in sending),
            partner_id=validation.enrollment.partner_id,
        )
        _move(
            validation=validation,
            move=Move.REQUEST_DOCUMENTS,
            actor=actor,
            comment=f"{sent} document requests sent to the partner.",
            internal=False,
        )
        notify(
            recipients=_partner_users(validation),
            title=f"CBP asks for {sent} documents for your {validation.get_kind_display().lower()}",
            url=_page(validation),
        )
    return sent


def validation_start(*, validation: Validation, actor: User, comment: str = "") -> Validation:
    with transaction.atomic():
        return _move(validation=validation, move=Move.START, actor=actor, comment=comment)


def validation_draft(*, validation: Validation, actor: User, comment: str = "") -> Validation:
    with transaction.atomic():
        return _move(validation=validation, move=Move.DRAFT, actor=actor, comment=comment)


def validation_submit(*, validation: Validation, actor: User, comment: str = "") -> Validation:
    """Send the draft to the supervisor; every finding must have its result first."""
    with transaction.atomic():
        moved = _move(validation=validation, move=Move.SUBMIT, actor=actor, comment=comment)
        # Checked on the locked row, after the move itself is known to be allowed; the
        # error rolls the move back.
        missing = moved.findings.filter(result="").count()
        if missing:
            raise DomainError(
                f"{missing} criteria have no result yet; record every finding before submitting."
            )
        notify(
            recipients=[validation.approving_supervisor],
            title=f"A validation report of {validation.partner} waits for your review",
            url=_page(validation),
            subject=review_subject(validation),
        )
        return moved


def validation_return(*, validation: Validation, actor: User, comment: str) -> Validation:
    """The supervisor sends the draft back with what to change (an internal comment)."""
    if not comment.strip():
        raise DomainError("Say what should change before returning the report.", field="comment")
    with transaction.atomic():
        moved = _move(validation=validation, move=Move.RETURN, actor=actor, comment=comment)
        notify(
            recipients=[validation.lead],
            title=f"The report of {validation.partner} is returned to drafting",
            body=comment,
            url=_page(validation),
        )
        return moved


def validation_approve(
    *, validation: Validation, actor: User, tier: int | None, comment: str = ""
) -> IssuedReport:
    """Approve the report, set the outcome and the required actions, and issue the PDF.

    Approval waits for the visit to begin, every finding and every document request
    (permissions.ready_for_approval, part of the move's rule). Tier 3 needs
    permissions.can_award_tier_3. A passed validation (tier 2 or 3) validates the Security
    enrollment, which restarts the revalidation clock; a failed one (tier None) proposes a
    Security suspension, cause "failed validation", in the supervisors' consequence queue.
    Required actions are due a set number of days later.
    """
    if tier not in (2, 3, None):
        raise DomainError("The outcome is Tier 2, Tier 3, or failed.")
    with transaction.atomic():
        today = timezone.localdate()
        if tier == 3:
            require(permissions.can_award_tier_3(validation))
        validation = _move(
            validation=validation,
            move=Move.APPROVE,
            actor=actor,
            comment=comment,
            internal=False,
            outcome_tier=tier,
            failed=tier is None,
            approved_on=today,
        )
        due = today + timedelta(days=rule_int("required_action_days"))
        actions = RequiredAction.objects.bulk_create(
            RequiredAction(finding=finding, due_on=due)
            for finding in validation.findings.filter(result=Result.REQUIRED_ACTION)
        )
        audit.record_created(actions, partner_id=validation.enrollment.partner_id)
        enrollment = validation.enrollment
        if tier is None:
            ValidationEvent.objects.create(
                validation=validation,
                move="recommend_suspension",
                from_status=Status.APPROVED,
                to_status=Status.APPROVED,
                actor=actor,
                comment=_(
                    "The validation failed: a suspension of the Security enrollment (cause: "
                    "failed validation) is proposed in the consequence queue."
                ),
            )
            propose_consequence(
                key=f"failed_validation:{validation.pk}:{today.isoformat()}",
                partner_id=enrollment.partner_id,
                action=SUSPEND_SECURITY,
                label=_("%(kind)s approved as failed on %(date)s")
                % {"kind": validation.get_kind_display(), "date": f"{today:%B %-d, %Y}"},
                due_on=today,
                url=_page(validation),
            )
        elif enrollment.status == EnrollmentStatus.SUSPENDED:
            # A for-cause validation of a suspended partner moves nothing: the supervisor
            # weighs it with the corrective action plan when deciding reinstatement.
            pass
        else:
            partner_services.enrollment_validate(
                enrollment=enrollment,
                actor=actor,
                tier=tier,
                reason=f"{validation.get_kind_display()} approved: Tier {tier}",
                on=today,
            )
        return report_issue(validation=validation, actor=actor)


def validation_close(*, validation: Validation, actor: User, comment: str = "") -> Validation:
    with transaction.atomic():
        validation = _locked(validation)
        require(permissions.can_make_move(actor, validation, Move.CLOSE))
        open_actions = RequiredAction.objects.filter(finding__validation=validation).exclude(
            status=ActionStatus.ACCEPTED
        )
        if open_actions.exists():
            raise DomainError("Every required action must be accepted before closing.")
        return _move(
            validation=validation, move=Move.CLOSE, actor=actor, comment=comment, internal=False
        )


def validation_cancel(*, validation: Validation, actor: User, comment: str) -> Validation:
    if not comment.strip():
        raise DomainError("Say why the validation is cancelled.", field="comment")
    with transaction.atomic():
        return _move(
            validation=validation, move=Move.CANCEL, actor=actor, comment=comment, internal=False
        )


# --- Document requests ----------------------------------------------------------------


def document_request_add(
    *, validation: Validation, actor: User, name: str, description: str, due_on: date
) -> DocumentRequest:
    if due_on < timezone.localdate():
        raise DomainError("The due date cannot be in the past.", field="due_on")
    try:
        with transaction.atomic():
            validation = _locked(validation)
            require(permissions.can_add_document_request(actor, validation))
            if validation.status not in (
                Status.PLANNED,
                Status.DOCUMENTS_REQUESTED,
                Status.IN_PROGRESS,
            ):
                raise DomainError("Documents can be requested until the report is being drafted.")
            draft = validation.status == Status.PLANNED
            status = RequestStatus.DRAFT if draft else RequestStatus.REQUESTED
            return DocumentRequest.objects.create(
                validation=validation,
                name=name,
                description=description,
                due_on=due_on,
                requested_by=actor,
                status=status,
            )
    except IntegrityError:
        raise DomainError(f"This validation already asks for “{name}”.") from None


def document_request_satisfy_on_file(
    *, request: DocumentRequest, actor: User, upload: DocumentUpload
) -> DocumentRequest:
    """Answer a request with a document the partner already gave CBP: no new upload needed."""
    require(permissions.can_use_document_on_file(actor, request))
    if not upload.is_downloadable:
        raise DomainError(_("That document is being scanned or was quarantined."))
    if upload.request.validation.enrollment.partner_id != request.validation.enrollment.partner_id:
        raise DomainError("That document belongs to another partner.")
    request.on_file = upload
    request.on_file_note = f"{upload.original_name}, uploaded {upload.uploaded_at:%B %-d, %Y}"
    request.status = RequestStatus.ON_FILE
    request.save(update_fields=["on_file", "on_file_note", "status"])
    return request


def document_request_withdraw(
    *, request: DocumentRequest, actor: User, reason: str
) -> DocumentRequest:
    """The team withdraws a request it no longer needs; the partner reads the reason, and the
    request stops counting as open (its deadline, and approval's wait, end)."""
    if not reason.strip():
        raise DomainError(_("Say why the request is withdrawn."), field="reason")
    with transaction.atomic():
        locked = DocumentRequest.objects.select_for_update().get(pk=request.pk)
        locked.validation = request.validation
        require(permissions.can_withdraw_document_request(actor, locked))
        locked.status = RequestStatus.WITHDRAWN
        locked.withdrawn_reason = reason.strip()
        locked.save(update_fields=["status", "withdrawn_reason"])
    return locked


def document_upload(*, request: DocumentRequest, actor: User, file: UploadedFile) -> DocumentUpload:
    """The partner answers a document request with a file (checked by ctpat.uploads)."""
    require(permissions.can_upload_request_document(actor, request))
    with uploads.storing() as keep, transaction.atomic():
        stored = keep(file, folder=f"validations/{request.validation_id}")
        upload = DocumentUpload.objects.create(
            request=request,
            stored_name=stored.stored_name,
            original_name=stored.original_name,
            kind=stored.kind,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
        )
        DocumentRequest.objects.filter(pk=request.pk).update(status=RequestStatus.UPLOADED)
        scanning.request_scan([upload])
        before = {"status": request.status}
        request.status = RequestStatus.UPLOADED
        audit.record_updated([(request, before)])
    return upload


# --- Findings and required actions ----------------------------------------------------


def _finding_problem(finding: Finding, result: str, narrative: str) -> str:
    """Why this result cannot be recorded for this criterion, or "" when it can."""
    if not result:
        return ""
    version = finding.criterion_version
    code = version.criterion.code
    if result not in RESULTS_BY_LEVEL[Level(version.level)]:
        if version.level == Level.MUST:
            return _(
                "%(code)s is a Must: an unmet Must is a required action, not a recommendation."
            ) % {"code": code}
        return _(
            "%(code)s is a Should: an unmet Should is a recommendation, not a required action."
        ) % {"code": code}
    if result in NEEDS_NARRATIVE and not narrative.strip():
        if result == Result.NOT_APPLICABLE:
            return _("%(code)s: say why the criterion does not apply.") % {"code": code}
        return _("%(code)s: say what was found.") % {"code": code}
    return ""


def findings_record(
    *, validation: Validation, actor: User, results: dict[int, tuple[str, str]]
) -> int:
    """Record results and narratives {finding id: (result, narrative)}; returns how many changed.

    Only while the validation is in progress or its report is being drafted. The result must
    be one the criterion's level allows (RESULTS_BY_LEVEL: an unmet Must is a required
    action, an unmet Should a recommendation); a required action, a recommendation, a best
    practice or "not applicable" needs its narrative.
    """
    problems = [
        problem
        for finding in validation.findings.select_related("criterion_version__criterion")
        if finding.pk in results and (problem := _finding_problem(finding, *results[finding.pk]))
    ]
    changed = []
    with transaction.atomic():
        locked = _locked(validation)
        require(permissions.can_record_findings(actor, locked))
        if locked.status not in (Status.IN_PROGRESS, Status.REPORT_DRAFTING):
            raise DomainError(
                "Findings are recorded while the validation is in progress or drafted."
            )
        if problems:
            raise DomainError(" ".join(problems))
        for finding in locked.findings.select_for_update():
            if finding.pk not in results:
                continue
            result, narrative = results[finding.pk]
            if (finding.result, finding.narrative) != (result, narrative):
                before = {"result": finding.result, "narrative": finding.narrative}
                finding.result, finding.narrative, finding.updated_by = result, narrative, actor
                changed.append((finding, before))
        Finding.objects.bulk_update(
            [finding for finding, _ in changed], ["result", "narrative", "updated_by", "updated_at"]
        )
        audit.record_updated(changed, partner_id=locked.enrollment.partner_id)
    return len(changed)


def required_action_respond(
    *, action: RequiredAction, actor: User, response: str, files: Sequence[UploadedFile] = ()
) -> RequiredAction:
    """The partner's corrective response: text and, optionally, documents."""
    partner = action.finding.validation.partner
    require(permissions.can_respond_to_action(actor, action))
    if not response.strip():
        raise DomainError("Describe the corrective action taken.", field="response")
    for file in files:
        uploads.check(file)  # every file is judged before any is kept
    with uploads.storing() as keep, transaction.atomic():
        locked = RequiredAction.objects.select_for_update().get(pk=action.pk)
        locked.finding = action.finding
        require(permissions.can_respond_to_action(actor, locked))
        locked.status = ActionStatus.RESPONSE_SUBMITTED
        locked.response = response
        locked.responded_by, locked.responded_at = actor, timezone.now()
        locked.save()
        stored = [keep(f, folder=f"actions/{action.pk}") for f in files]
        documents = ActionDocument.objects.bulk_create(
            ActionDocument(
                action=locked,
                stored_name=s.stored_name,
                original_name=s.original_name,
                kind=s.kind,
                size=s.size,
                sha256=s.sha256,
                uploaded_by=actor,
            )
            for s in stored
        )
        scanning.request_scan(documents)
        audit.record_created(documents, partner_id=partner.pk)
    validation = action.finding.validation
    notify(
        recipients=[validation.lead],
        title=f"{partner} answered a required action ({action.finding.criterion_version.criterion})",
        url=_page(validation),
        subject=response_subject(action),
    )
    return locked


def required_action_decide(
    *, action: RequiredAction, actor: User, accept: bool, comment: str = ""
) -> RequiredAction:
    """The specialist accepts the response, or returns it with what is still missing."""
    validation = action.finding.validation
    if not accept and not comment.strip():
        raise DomainError("Say what is still missing when returning a response.", field="comment")
    to = ActionStatus.ACCEPTED if accept else ActionStatus.RETURNED
    with transaction.atomic():
        locked = RequiredAction.objects.select_for_update().get(pk=action.pk)
        locked.finding = action.finding
        require(permissions.can_decide_action(actor, locked))
        require(permissions.action_may_become(locked, to))
        locked.status = to
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.decision_comment = comment
        locked.save()
        if accept:  # closed: apps above ask the partner to update what it touches
            for closed in registry["required_action_closed"]:
                closed(action=locked)
        mark_done(response_subject(locked), by=actor)
        notify(
            recipients=_partner_users(validation),
            title=f"Your answer on criterion {action.finding.criterion_version.criterion} is "
            f"{'accepted' if accept else 'returned'}",
            body=comment,
            url=_page(validation),
        )
    return locked


# --- Reports --------------------------------------------------------------------------


def report_issue(*, validation: Validation, actor: User) -> IssuedReport:
    """A new version of the report, from a snapshot of the validation now; rendered by Celery.

    Issuing again makes another version; earlier versions stay as they were.
    """
    with transaction.atomic():
        validation = _locked(validation)
        require(permissions.can_issue_report(actor, validation))
        if validation.status not in (Status.APPROVED, Status.CLOSED):
            raise DomainError("A report is issued once the validation is approved.")
        latest = validation.reports.order_by("-version").first()
        report = IssuedReport.objects.create(
            validation=validation,
            version=(latest.version + 1) if latest else 1,
            snapshot=selectors.report_snapshot(validation),
            requested_by=actor,
        )
        outbox.enqueue("validations.render_report", report_id=report.pk)
    return report


def report_retry(*, report: IssuedReport, actor: User) -> bool:
    """Render a failed or stuck report again (same version, same snapshot).

    False when it is being made already: nothing is changed (ctpat.reports.retry)."""
    require(permissions.can_retry_report(actor, report))
    return reports.retry(IssuedReport, report, render_report)


def report_render(*, report_id: int) -> IssuedReport:
    """Render and store one report version; safe to run again (a redelivered task).

    A ready report is left as it is. A failure is recorded on the report, whose page then
    offers a retry.
    """

    def tell_the_partner(report: IssuedReport) -> None:
        audit.record_report_issued(report)
        notify(
            recipients=_partner_users(report.validation),
            title=f"Your validation report (version {report.version}) is ready",
            url=_page(report.validation),
        )

    report = IssuedReport.objects.get(pk=report_id)
    return reports.render_and_store(
        IssuedReport,
        report_id,
        render_pdf=documents.render_report_pdf,
        folder=f"reports/{report.validation_id}",
        on_ready=tell_the_partner,
    )
