"""Who may do what with forced-labor documentation: one predicate per action.

See ctpat/permissions.py for the shape. The partner's page, the views and the services
read these.
"""

from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from ctpat.permissions import ALLOWED, Verdict, first_refusal, refuse
from partners.models import Membership, Partner

from . import selectors
from .choices import SUBMISSION_STATE, WAITING, Handling, SubmissionStatus
from .models import Requirement, RequirementVersion, Submission


def _staff_of(user: User, partner: Partner) -> Verdict:
    if not user.is_cbp_staff:
        return refuse("Only CBP staff review forced-labor documentation.")
    if user.role != Role.ADMINISTRATOR and user.field_office_id != partner.field_office_id:
        return refuse("This partner belongs to another field office.")
    return ALLOWED


def can_upload_submission(
    user: User,
    partner: Partner,
    requirement: Requirement,
    version: RequirementVersion | None = None,
) -> Verdict:
    """Any of the partner's users uploads a new version of a requirement that is uploaded
    (not kept on request) while the partner is in Trade Compliance.

    `version` is the requirement's version in force, when the caller has it.
    """

    def by_membership() -> Verdict:
        members = partner.__dict__.setdefault("_members", {})  # once per page, not per row
        if user.pk not in members:
            members[user.pk] = (
                user.role == Role.PARTNER
                and Membership.objects.filter(partner=partner, user=user).exists()
            )
        if members[user.pk]:
            return ALLOWED
        return refuse(f"Only users of {partner} may submit its documentation.")

    def by_program() -> Verdict:
        if selectors.trade_compliance_of(partner) is not None:
            return ALLOWED
        return refuse("Forced-labor documentation is for Trade Compliance partners.")

    def by_handling() -> Verdict:
        current = version or next(
            (v for v in selectors.requirements_in_force() if v.requirement_id == requirement.pk),
            None,
        )
        if current is None:
            return refuse(f"“{requirement}” is not in force yet.")
        if current.handling == Handling.ON_REQUEST:
            return refuse(
                f"“{requirement.name}” is kept by the partner for CBP to request; "
                "it is not uploaded."
            )
        return ALLOWED

    return first_refusal(by_membership, by_program, by_handling)


def can_review_submission(user: User, submission: Submission) -> Verdict:
    """CBP staff of the partner's office decide a submission once, while it waits."""

    def by_status() -> Verdict:
        if submission.status in WAITING:
            return ALLOWED
        if submission.status == SubmissionStatus.SUPERSEDED:
            return refuse("The partner has sent a newer version; review that one.")
        when = timezone.localtime(submission.reviewed_at) if submission.reviewed_at else None
        return refuse(
            f"This submission was already {SUBMISSION_STATE[SubmissionStatus(submission.status)]} by "
            f"{submission.reviewer}"
            + (f" at {when:%H:%M on %B %-d}" if when else "")
            + "; your decision was not recorded."
        )

    return first_refusal(lambda: _staff_of(user, submission.partner), by_status)


def can_record_risk_check(user: User, partner: Partner) -> Verdict:
    """Staff of the partner's office record that its risk assessment covers forced labor."""
    return _staff_of(user, partner)
