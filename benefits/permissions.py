"""Who may do what with benefits data: one predicate per action (see ctpat/permissions.py).

Benefit figures, proposals and reports are program-wide: CBP staff record figures and
proposals, supervisors (DECIDERS) decide proposals and issue the yearly report. Pages about
one partner are scoped by `visible_to` before these are asked.
"""

from django.utils.translation import gettext as _

from accounts.choices import CBP_STAFF, Role
from accounts.models import User
from ctpat.models import ReportStatus
from ctpat.permissions import ALLOWED, Verdict, first_refusal, refuse
from partners.models import Partner

from .choices import (
    DECIDERS,
    MOVE_TARGETS,
    PROPOSAL_STATE,
    TRANSITIONS,
    ProposalMove,
    ProposalStatus,
)
from .models import BenefitsReport, Proposal


def _staff(user: User | None) -> Verdict:
    if user is not None and user.role in CBP_STAFF:
        return ALLOWED
    return refuse("Only CBP staff record benefit figures and proposals.")


def _decider(user: User | None, what: str) -> Verdict:
    if user is not None and user.role in DECIDERS:
        return ALLOWED
    return refuse(f"Only a CBP supervisor {what}.")


def can_record_figures(user: User) -> Verdict:
    """Monthly figures of partners and non-member baselines, by form or CSV import."""
    return _staff(user)


def _staff_of(user: User | None, partner: Partner) -> Verdict:
    """Figures about one partner: staff of its field office (the CSV import reads the same
    scope through `visible_to`), administrators everywhere."""
    if user is not None and user.role == Role.ADMINISTRATOR:
        return ALLOWED
    if user is not None and user.role in CBP_STAFF:
        if user.field_office_id == partner.field_office_id:
            return ALLOWED
        return refuse("This partner belongs to another field office.")
    return refuse("Only CBP staff record benefit figures and proposals.")


def can_record_partner_figures(user: User, partner: Partner) -> Verdict:
    """One month of a partner's figures, by the entry form."""
    return _staff_of(user, partner)


def can_add_participation(user: User, partner: Partner) -> Verdict:
    """Record that a partner takes part in an agency's benefit or pilot: staff of the
    partner's field office, or an administrator (the page is scoped the same way)."""
    return _staff_of(user, partner)


def can_propose_benefit(user: User) -> Verdict:
    return _staff(user)


def can_comment_on_proposal(user: User, proposal: Proposal) -> Verdict:
    return _staff(user)


def can_decide_proposal(user: User, proposal: Proposal, move: str) -> Verdict:
    """Supervisors move a proposal along TRANSITIONS."""

    def by_status() -> Verdict:
        if move not in ProposalMove.values:
            return refuse("There is no such decision on a proposal.")
        target = MOVE_TARGETS[ProposalMove(move)]
        if target in TRANSITIONS[ProposalStatus(proposal.status)]:
            return ALLOWED
        return refuse(
            _("A proposal that is %(state)s cannot be %(target)s.")
            % {
                "state": PROPOSAL_STATE[ProposalStatus(proposal.status)],
                "target": PROPOSAL_STATE[ProposalStatus(target)],
            }
        )

    return first_refusal(_decider(user, "decides on proposals"), by_status)


def allowed_proposal_moves(user: User, proposal: Proposal) -> list:
    return [move for move in ProposalMove if can_decide_proposal(user, proposal, move)]


def can_issue_benefits_report(user: User) -> Verdict:
    return _decider(user, "issues the yearly benefits report")


def can_retry_benefits_report(user: User, report: BenefitsReport) -> Verdict:
    """A failed or stuck render is queued again; one being made is left alone, and said so
    (a second click), so only a ready report is refused."""

    def by_status() -> Verdict:
        if report.status != ReportStatus.READY:
            return ALLOWED
        return refuse("The report is ready: it is not made again.")

    return first_refusal(can_issue_benefits_report(user), by_status)
