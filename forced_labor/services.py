"""Every change to forced-labor documentation: submitting versions and reviewing them."""

from collections.abc import Sequence
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import User
from ctpat import scanning, uploads
from ctpat.errors import DomainError
from ctpat.permissions import require
from notifications.services import notify
from partners.models import Membership, Partner

from . import permissions, selectors
from .choices import SubmissionStatus, moving_to
from .models import Requirement, RiskAssessmentCoverage, Submission, SubmissionFile


def submission_create(
    *,
    actor: User,
    partner: Partner,
    requirement: Requirement,
    title: str,
    effective_on: date,
    files: Sequence[UploadedFile],
    notes: str = "",
    public_url: str = "",
) -> Submission:
    """A new version of the partner's documentation for one requirement.

    Earlier versions are kept and marked superseded; nothing is overwritten. Every file
    goes through ctpat.uploads; if any is refused, nothing is kept.
    """
    version_in_force = next(
        (v for v in selectors.requirements_in_force() if v.requirement_id == requirement.pk),
        None,
    )
    require(permissions.can_upload_submission(actor, partner, requirement, version_in_force))
    if version_in_force is None:  # refused by can_upload_submission already; for the types
        raise DomainError(f"“{requirement}” is not in force yet.")
    if effective_on > timezone.localdate():
        raise DomainError("The effective date cannot be in the future.", field="effective_on")
    if not files:
        raise DomainError("Attach at least one file.", field="files")
    if requirement.asks_public_url and not public_url.lower().startswith("https://"):
        raise DomainError(
            "Give the public https:// address where the code of conduct is published.",
            field="public_url",
        )
    for file in files:
        uploads.check(file)  # every file is judged before any is kept
    # A change that fails after some files were kept deletes them again (uploads.storing).
    with uploads.storing() as keep, transaction.atomic():
        Partner.objects.select_for_update().get(pk=partner.pk)  # one version number at a time
        latest = Submission.objects.filter(partner=partner, requirement=requirement).aggregate(
            Max("version")
        )["version__max"]
        Submission.objects.filter(
            partner=partner,
            requirement=requirement,
            status__in=moving_to(SubmissionStatus.SUPERSEDED),
        ).update(status=SubmissionStatus.SUPERSEDED)
        submission = Submission.objects.create(
            partner=partner,
            requirement=requirement,
            requirement_version=version_in_force,
            version=(latest or 0) + 1,
            title=title,
            effective_on=effective_on,
            notes=notes,
            public_url=public_url,
            submitted_by=actor,
        )
        kept = []
        for file in files:
            stored = keep(file, folder=f"forced-labor/{partner.pk}")
            kept.append(
                SubmissionFile.objects.create(
                    submission=submission,
                    stored_name=stored.stored_name,
                    original_name=stored.original_name,
                    kind=stored.kind,
                    size=stored.size,
                    sha256=stored.sha256,
                    uploaded_by=actor,
                )
            )
        scanning.request_scan(kept)
    return submission


def submission_review(
    *, actor: User, submission: Submission, accept: bool, reason: str = ""
) -> Submission:
    """Accept, or return with a reason. One decision per submission: if two reviewers decide
    at once, the first wins and the second is told it was already decided."""
    require(permissions.can_review_submission(actor, submission))
    if not accept and not reason.strip():
        raise DomainError(
            "Say why the documentation is returned; the partner reads it.", field="reason"
        )
    status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    before = {
        name: getattr(submission, name)
        for name in ("status", "decision", "reviewer_id", "reviewed_at", "review_reason")
    }
    with transaction.atomic():
        decided = Submission.objects.filter(pk=submission.pk, status__in=moving_to(status)).update(
            status=status,
            decision=status,
            reviewer=actor,
            reviewed_at=timezone.now(),
            review_reason=reason,
        )
        if not decided:  # someone decided (or the partner superseded it) meanwhile
            current = Submission.objects.select_related("reviewer", "partner").get(pk=submission.pk)
            require(permissions.can_review_submission(actor, current))
        submission.refresh_from_db()
        if decided:  # the update sends no signal: recorded here
            audit.record_updated([(submission, before)])
        _notify_partner(submission)
    return submission


def _notify_partner(submission: Submission) -> None:
    decision = submission.get_decision_display().lower()
    notify(
        recipients=[
            m.user
            for m in Membership.objects.filter(partner=submission.partner).select_related("user")
        ],
        title=f"Forced-labor documentation {decision}: {submission.requirement.name}",
        body=submission.review_reason,
        url=reverse("forced_labor:partner", args=[submission.partner_id]),
    )


def risk_assessment_check(
    *, actor: User, partner: Partner, checked_on: date, note: str = ""
) -> RiskAssessmentCoverage:
    """Record that the partner's risk assessment covers forced labor (alert of 22 Mar 2023)."""
    require(permissions.can_record_risk_check(actor, partner))
    if checked_on > timezone.localdate():
        raise DomainError("The check cannot be dated in the future.", field="checked_on")
    coverage, _ = RiskAssessmentCoverage.objects.update_or_create(
        partner=partner, defaults={"checked_on": checked_on, "checked_by": actor, "note": note}
    )
    return coverage
