"""Every change to forced-labor documentation: submitting versions and reviewing them."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from ctpat import uploads
from ctpat.errors import DomainError
from notifications.services import notify
from partners.models import Membership, Partner

from . import selectors
from .choices import SubmissionStatus, moving_to
from .models import Requirement, RiskAssessmentCoverage, Submission, SubmissionFile


def _require_member(actor, partner) -> None:
    if not Membership.objects.filter(partner=partner, user=actor).exists():
        raise DomainError(f"Only users of {partner} may submit its documentation.")


def _require_staff_of(actor, partner) -> None:
    if not actor.is_cbp_staff:
        raise DomainError("Only CBP staff review forced-labor documentation.")
    if actor.role != Role.ADMINISTRATOR and actor.field_office_id != partner.field_office_id:
        raise DomainError("This partner belongs to another field office.")


def submission_create(
    *,
    actor,
    partner: Partner,
    requirement: Requirement,
    title: str,
    effective_on: date,
    files,
    notes: str = "",
    public_url: str = "",
) -> Submission:
    """A new version of the partner's documentation for one requirement.

    Earlier versions are kept and marked superseded; nothing is overwritten. Every file
    goes through ctpat.uploads; if any is refused, nothing is kept.
    """
    _require_member(actor, partner)
    if selectors.trade_compliance_of(partner) is None:
        raise DomainError("Forced-labor documentation is for Trade Compliance partners.")
    if effective_on > timezone.localdate():
        raise DomainError("The effective date cannot be in the future.", field="effective_on")
    if not files:
        raise DomainError("Attach at least one file.", field="files")
    if requirement.asks_public_url and not public_url.lower().startswith("https://"):
        raise DomainError(
            "Give the public https:// address where the code of conduct is published.",
            field="public_url",
        )
    version_in_force = next(
        v for v in selectors.requirements_in_force() if v.requirement_id == requirement.pk
    )
    for file in files:
        uploads.check(file)  # every file is judged before any is kept
    with transaction.atomic():
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
        for file in files:
            stored = uploads.store(file, folder=f"forced-labor/{partner.pk}")
            SubmissionFile.objects.create(
                submission=submission,
                stored_name=stored.stored_name,
                original_name=stored.original_name,
                kind=stored.kind,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=actor,
            )
    return submission


def submission_review(*, actor, submission: Submission, accept: bool, reason: str = ""):
    """Accept, or return with a reason. One decision per submission: if two reviewers decide
    at once, the first wins and the second is told it was already decided."""
    _require_staff_of(actor, submission.partner)
    if not accept and not reason.strip():
        raise DomainError(
            "Say why the documentation is returned; the partner reads it.", field="reason"
        )
    status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    with transaction.atomic():
        decided = Submission.objects.filter(pk=submission.pk, status__in=moving_to(status)).update(
            status=status,
            decision=status,
            reviewer=actor,
            reviewed_at=timezone.now(),
            review_reason=reason,
        )
        if not decided:
            current = Submission.objects.select_related("reviewer").get(pk=submission.pk)
            if current.status == SubmissionStatus.SUPERSEDED:
                raise DomainError("The partner has sent a newer version; review that one.")
            when = timezone.localtime(current.reviewed_at)
            raise DomainError(
                f"This submission was already {current.get_status_display().lower()} by "
                f"{current.reviewer} at {when:%H:%M on %B %-d}; your decision was not recorded."
            )
        submission.refresh_from_db()
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


def risk_assessment_check(*, actor, partner: Partner, checked_on: date, note: str = ""):
    """Record that the partner's risk assessment covers forced labor (alert of 22 Mar 2023)."""
    _require_staff_of(actor, partner)
    if checked_on > timezone.localdate():
        raise DomainError("The check cannot be dated in the future.", field="checked_on")
    coverage, _ = RiskAssessmentCoverage.objects.update_or_create(
        partner=partner, defaults={"checked_on": checked_on, "checked_by": actor, "note": note}
    )
    return coverage
