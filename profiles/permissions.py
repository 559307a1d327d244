"""Who may do what with a Security Profile: one predicate per action (ctpat/permissions.py).

The partner's users draft; only the company officer signs and submits; CBP staff of the
partner's field office review each answer and decide the version.
"""

from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from ctpat.permissions import ALLOWED, Verdict, first_refusal, refuse
from partners.choices import MembershipRole
from partners.models import Membership, Partner

from .choices import OPEN, WAITING_FOR_CBP, ProfileKind, ProfileStatus
from .models import ProfileAnswer, SecurityProfile


def is_member(user: User, partner: Partner, *, officer: bool = False) -> bool:
    """Whether `user` is one of the partner's users (its company officer, with `officer`),
    asked once per page."""
    members = partner.__dict__.setdefault("_profile_members", {})
    if user.pk not in members:
        roles = set(
            Membership.objects.filter(partner=partner, user=user).values_list("role", flat=True)
        )
        members[user.pk] = roles if user.role == Role.PARTNER else set()
    roles = members[user.pk]
    return MembershipRole.COMPANY_OFFICER in roles if officer else bool(roles)


def _staff_of(user: User, partner: Partner) -> Verdict:
    if not user.is_cbp_staff:
        return refuse(_("Only CBP staff review Security Profiles."))
    if user.role != Role.ADMINISTRATOR and user.field_office_id != partner.field_office_id:
        return refuse(_("This partner belongs to another field office."))
    return ALLOWED


def next_kind(versions: list[SecurityProfile], *, annual: bool = False) -> ProfileKind | None:
    """The kind of version the partner would start now (`versions` newest first), or None
    while one is open: a first profile, the answers to a returned version, or an update (or,
    `annual`, the annual review) of the accepted one."""
    if any(v.status in OPEN for v in versions):
        return None
    if not versions:
        return None if annual else ProfileKind.FIRST
    latest = versions[0]
    if latest.status == ProfileStatus.RETURNED:
        return None if annual else ProfileKind.CORRECTION
    if any(v.status == ProfileStatus.ACCEPTED for v in versions):
        return ProfileKind.ANNUAL_REVIEW if annual else ProfileKind.UPDATE
    return None


def can_start_profile(
    user: User, partner: Partner, versions: list[SecurityProfile], *, annual: bool = False
) -> Verdict:
    """The partner's users start a version when none is open (versions newest first). The
    annual review is started by whoever may submit it (partners.permissions)."""

    def by_member() -> Verdict:
        if is_member(user, partner):
            return ALLOWED
        return refuse(
            _("Only users of %(partner)s work on its Security Profile.")
            % {"partner": partner.legal_name}
        )

    def by_versions() -> Verdict:
        if next_kind(versions, annual=annual) is not None:
            return ALLOWED
        if any(v.status in OPEN for v in versions):
            return refuse(
                _("Version %(n)s is still open; finish it before starting another.")
                % {"n": next(v.version for v in versions if v.status in OPEN)}
            )
        return refuse(_("The annual review confirms an accepted profile; there is none yet."))

    return first_refusal(by_member, by_versions)


def can_edit_answer(user: User, answer: ProfileAnswer) -> Verdict:
    """The partner's users change a draft's answers; in answers to a returned version, only
    those CBP asked more information on (the others are accepted and stay as they are)."""
    profile = answer.profile

    def by_status() -> Verdict:
        if profile.status != ProfileStatus.DRAFT:
            return refuse(
                _("Version %(n)s is %(status)s; it can no longer be changed.")
                % {"n": profile.version, "status": profile.get_status_display().lower()}
            )
        if profile.kind == ProfileKind.CORRECTION and answer.review == "accepted":
            return refuse(_("CBP accepted this answer; only the returned criteria are answered."))
        return ALLOWED

    return first_refusal(
        lambda: (
            ALLOWED
            if is_member(user, profile.partner)
            else refuse(_("Only the partner's users answer its Security Profile."))
        ),
        by_status,
    )


def can_submit_profile(user: User, profile: SecurityProfile) -> Verdict:
    """The company officer signs and submits a draft."""

    def by_officer() -> Verdict:
        if is_member(user, profile.partner, officer=True):
            return ALLOWED
        return refuse(
            _("Only the company officer of %(partner)s signs and submits its Security Profile.")
            % {"partner": profile.partner.legal_name}
        )

    def by_status() -> Verdict:
        if profile.status == ProfileStatus.DRAFT:
            return ALLOWED
        return refuse(_("Version %(n)s was already submitted.") % {"n": profile.version})

    return first_refusal(by_officer, by_status)


def can_review_profile(user: User, profile: SecurityProfile) -> Verdict:
    """CBP staff of the partner's office review each answer of a submitted version."""

    def by_status() -> Verdict:
        if profile.status in WAITING_FOR_CBP:
            return ALLOWED
        return refuse(
            _("Version %(n)s is %(status)s; there is nothing to review.")
            % {"n": profile.version, "status": profile.get_status_display().lower()}
        )

    return first_refusal(lambda: _staff_of(user, profile.partner), by_status)


def can_decide_profile(user: User, profile: SecurityProfile, undecided: int) -> Verdict:
    """The review ends once every answer is accepted or needs more information
    (`undecided`: how many are neither)."""

    def by_answers() -> Verdict:
        if not undecided:
            return ALLOWED
        return refuse(
            _("%(count)s answers are not reviewed yet; review every answer first.")
            % {"count": undecided}
        )

    return first_refusal(lambda: can_review_profile(user, profile), by_answers)
