"""Every change to partners, their people and their enrollment: one function per use case.

Views, the CSV import, demo data, other apps and tests all call these. Each writes its
record (simple-history rows with the actor and reason for field changes, an
EnrollmentEvent for each move) in the same transaction as the change, and raises
DomainError with a readable message when a rule refuses it.
"""

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts import audit
from accounts.choices import Role
from accounts.models import User, normalize_email
from ctpat import acceptance, outbox, scanning, uploads
from ctpat.errors import DomainError
from ctpat.permissions import require
from ctpat.program_rules import rule_int
from notifications.email import render_email
from notifications.services import mark_done, notify

from . import deadlines, permissions
from .choices import (
    CLOSED,
    ELIGIBILITY_QUESTIONS,
    ENROLLMENT_STATE,
    IN_GOOD_STANDING,
    MOVE_TARGETS,
    PLAN_EDITABLE,
    PLAN_STATE,
    AppealStatus,
    IdentifierKind,
    MembershipRole,
    Move,
    PlanStatus,
    Program,
    Status,
    SuspensionCause,
    allowed_targets,
)
from .eligibility import trade_compliance_problems
from .identifiers import normalize_identifier
from .models import (
    Appeal,
    CorrectiveAction,
    CorrectiveActionEvidence,
    CorrectiveActionPlan,
    EligibilityAnswer,
    Enrollment,
    EnrollmentEvent,
    Invitation,
    Membership,
    NotificationLetter,
    Partner,
    PartnerIdentifier,
    ProfileReview,
    Site,
)

PARTNER_FIELDS = [
    "legal_name",
    "dba_name",
    "entity_type",
    "highway_border",
    "street",
    "city",
    "region",
    "postal_code",
    "country",
    "field_office",
    "specialist",
    "national_account_manager",
    "importing_since",
    "has_unpaid_cbp_debt",
]
SITE_FIELDS = ["name", "kind", "street", "city", "region", "postal_code", "country"]


def _attribute(obj: Any, actor: User, reason: str) -> None:
    """Tell django-simple-history who made the next save, and why (attributes it reads from
    any model it records, which the model does not declare: hence `Any`)."""
    obj._history_user = actor
    obj._change_reason = reason or ""


def _require_staff(actor: User, partner: Partner | None = None) -> None:
    """CBP staff change partner records, each within their field office (admins: all)."""
    require(permissions.can_change_partner(actor, partner))


def _check_assignments(partner: Partner) -> None:
    """The specialist and National Account Manager work in the partner's field office."""
    for field in (Partner.specialist.field, Partner.national_account_manager.field):
        person = getattr(partner, field.name)
        if person is not None and person.field_office_id != partner.field_office_id:
            raise DomainError(f"The {field.verbose_name} must work in the partner's field office.")


def new_account_number() -> str:
    return f"CT{secrets.randbelow(10**8):08d}"


# --- Partners -----------------------------------------------------------------------


def partner_create(
    *,
    actor: User,
    data: dict,
    identifiers: Iterable[tuple[str, str]] = (),
    applied_on: date | None = None,
    reason: str = "",
) -> Partner:
    """A new partner, its identifiers, and its Security application (status applicant)."""
    partner = Partner(**{k: v for k, v in data.items() if k in PARTNER_FIELDS})
    _require_staff(actor, partner)
    _check_assignments(partner)
    with transaction.atomic():
        partner.full_clean(exclude=["account_number"])
        _attribute(partner, actor, reason or "Partner created")
        for _ in range(5):  # a clash of random account numbers is rare; try another
            partner.account_number = new_account_number()
            try:
                with transaction.atomic():
                    partner.save()
                break
            except IntegrityError:
                if Partner.objects.filter(account_number=partner.account_number).exists():
                    continue
                raise
        for kind, value in identifiers:
            identifier_add(actor=actor, partner=partner, kind=kind, value=value, reason="")
        enrollment = Enrollment.objects.create(
            partner=partner,
            program=Program.SECURITY,
            status=Status.APPLICANT,
            applied_on=applied_on or timezone.localdate(),
        )
        copy_to_partner(enrollment)
        EnrollmentEvent.objects.create(
            enrollment=enrollment,
            move=Move.APPLY,
            to_status=Status.APPLICANT,
            actor=actor,
            reason=reason or "Security application received",
        )
    return partner


def partner_update(*, actor: User, partner: Partner, data: dict, reason: str) -> Partner:
    """Change a partner's profile; compared with the stored row (a bound ModelForm may
    already have put the new values on `partner`)."""
    stored = Partner.objects.get(pk=partner.pk)
    _require_staff(actor, stored)
    if not reason.strip():
        raise DomainError("Say why the record changes.", field="reason")
    changed = [f for f in PARTNER_FIELDS if f in data and getattr(stored, f) != data[f]]
    if not changed:
        raise DomainError("Nothing was changed, so nothing was saved.")
    for field in changed:
        setattr(partner, field, data[field])
    # Checked again with the new values: staff cannot move a partner out of their office.
    _require_staff(actor, partner)
    _check_assignments(partner)
    partner.full_clean()
    _attribute(partner, actor, reason)
    partner.save()
    return partner


def partner_second_factor_set(*, actor: User, partner: Partner, required: bool) -> Partner:
    """The company officer turns the second factor on or off for every user of the company.
    Once on, each of them sets it up (or enters their code) before their next page."""
    require(permissions.can_require_second_factor(actor, partner))
    with transaction.atomic():
        stored = Partner.objects.select_for_update().get(pk=partner.pk)
        if stored.require_second_factor == required:
            raise DomainError(
                gettext("A second factor is already required.")
                if required
                else gettext("A second factor is already optional.")
            )
        stored.require_second_factor = required
        _attribute(
            stored,
            actor,
            "Second factor required for every user" if required else "Second factor made optional",
        )
        stored.save(update_fields=["require_second_factor", "updated_at"])
    return stored


def identifier_owner_message(kind: str, value: str, owner: Partner, viewer: User) -> str:
    """The duplicate-identifier message: names the other partner only to those who may see it."""
    label = IdentifierKind(kind).label
    if Partner.objects.visible_to(viewer).filter(pk=owner.pk).exists():
        return f"{label} {value} already belongs to {owner.legal_name} ({owner.account_number})."
    return f"{label} {value} already belongs to another partner in the program."


def identifier_add(
    *, actor: User, partner: Partner, kind: str, value: str, reason: str = ""
) -> PartnerIdentifier:
    _require_staff(actor, partner)
    normalized = normalize_identifier(kind, value)
    owner = (
        PartnerIdentifier.objects.filter(kind=kind, value=normalized)
        .select_related("partner")
        .first()
    )
    if owner is not None:
        raise DomainError(identifier_owner_message(kind, normalized, owner.partner, actor))
    identifier = PartnerIdentifier(partner=partner, kind=kind, value=normalized)
    _attribute(identifier, actor, reason or "Identifier added")
    try:
        with transaction.atomic():
            identifier.save()
    except IntegrityError:  # someone else took it between the check and the insert
        raise DomainError(
            f"{IdentifierKind(kind).label} {normalized} already belongs to another partner."
        ) from None
    return identifier


def identifier_remove(*, actor: User, identifier: PartnerIdentifier, reason: str) -> None:
    _require_staff(actor, identifier.partner)
    if not reason.strip():
        raise DomainError("Say why the identifier is removed.", field="reason")
    _attribute(identifier, actor, reason)
    identifier.delete()


# --- Sites --------------------------------------------------------------------------


def site_create(*, actor: User, partner: Partner, data: dict, reason: str = "") -> Site:
    _require_staff(actor, partner)
    site = Site(partner=partner, **{k: v for k, v in data.items() if k in SITE_FIELDS})
    site.full_clean()
    _attribute(site, actor, reason or "Site added")
    site.save()
    return site


def site_update(*, actor: User, site: Site, data: dict, reason: str) -> Site:
    _require_staff(actor, site.partner)
    if not reason.strip():
        raise DomainError("Say why the site changes.", field="reason")
    for field, value in data.items():
        if field in SITE_FIELDS:
            setattr(site, field, value)
    site.full_clean()
    _attribute(site, actor, reason)
    site.save()
    return site


# --- Partner users ------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, actor: User, partner: Partner, email: str, role: str, base_url: str
) -> tuple[Invitation, str]:
    """Invite someone to be a partner user; the link in the email works once, for the days
    of the rule invitation_valid_days (7)."""
    _require_staff(actor, partner)
    email = normalize_email(email)
    if Membership.objects.filter(partner=partner, user__email=email).exists():
        raise DomainError(f"{email} is already a user of {partner.legal_name}.", field="email")
    existing = User.objects.with_address(email).first()
    if existing is not None and existing.role != Role.PARTNER:
        raise DomainError(
            f"{email} belongs to a CBP account and cannot become a partner user.", field="email"
        )
    if role == MembershipRole.COMPANY_OFFICER and partner.memberships.filter(role=role).exists():
        raise DomainError(f"{partner.legal_name} already has a company officer.")
    waiting = partner.invitations.filter(
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()
    if waiting is not None:
        raise DomainError(
            f"An invitation to {email} is already waiting; it expires on "
            f"{timezone.localtime(waiting.expires_at):%B %-d, %Y}."
        )
    token = secrets.token_urlsafe(32)
    days = rule_int("invitation_valid_days")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            partner=partner,
            email=email,
            role=role,
            token_digest=_digest(token),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=days),
        )
        link = base_url.rstrip("/") + reverse("partners:invitation_accept", args=[token])
        subject, text, html = render_email(
            "partners/email/invitation",
            {"invitation": invitation, "link": link, "days": days},
        )
        outbox.enqueue(
            "notifications.send_email", to=[email], subject=subject, text=text, html=html
        )
    return invitation, token


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link stands for, or DomainError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("partner").filter(token_digest=_digest(token)).first()
    )
    if invitation is None or invitation.revoked_at:
        raise DomainError("This invitation link is not valid. Ask your CBP contact for a new one.")
    if invitation.accepted_at:
        raise DomainError(
            "This invitation has already been used. Sign in with your account instead."
        )
    if invitation.expires_at <= timezone.now():
        raise DomainError("This invitation has expired. Ask your CBP contact to send a new one.")
    return invitation


def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Accept an invitation, by a signed-in partner user or by creating the account.

    The invitation is claimed with a compare-and-swap update, so two clicks on the
    same link (or two people) cannot both use it.
    """
    invitation = invitation_for_token(token)
    with transaction.atomic():
        now = timezone.now()
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(accepted_at=now)
        if not claimed:
            raise DomainError("This invitation has already been used.")
        if user is None:
            if User.objects.with_address(invitation.email).exists():
                raise DomainError(
                    "An account with this email address exists. Sign in, then open the link again."
                )
            user = User.objects.create_user(
                invitation.email, password, full_name=full_name, role=Role.PARTNER
            )
        elif user.email != normalize_email(invitation.email):
            raise DomainError(
                f"This invitation is for {invitation.email}; you are signed in as {user.email}."
            )
        elif user.role != Role.PARTNER:
            raise DomainError("CBP accounts cannot accept partner invitations.")
        Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
        before = {"accepted_at": invitation.accepted_at, "accepted_by": invitation.accepted_by_id}
        invitation.accepted_at, invitation.accepted_by = now, user
        audit.record_updated([(invitation, before)])
        membership = Membership(partner=invitation.partner, user=user, role=invitation.role)
        _attribute(membership, user, f"Accepted the invitation sent by {invitation.invited_by}")
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            raise DomainError(
                f"{invitation.partner.legal_name} already has a company officer, "
                "or you are already one of its users."
            ) from None
    return membership


def membership_add(
    *, actor: User, partner: Partner, user: User, role: str, reason: str
) -> Membership:
    """Give an existing partner user a place in a partner (demo data, administrators)."""
    _require_staff(actor, partner)
    if user.role != Role.PARTNER:
        raise DomainError("Only partner users can belong to a partner.")
    membership = Membership(partner=partner, user=user, role=role)
    membership.full_clean()
    _attribute(membership, actor, reason)
    membership.save()
    return membership


def membership_remove(*, actor: User, membership: Membership, reason: str) -> None:
    """Take a user's access to a partner away, with any invitation still waiting for them."""
    _require_staff(actor, membership.partner)
    if not reason.strip():
        raise DomainError("Say why the user is removed.", field="reason")
    with transaction.atomic():
        _attribute(membership, actor, reason)
        membership.delete()
        waiting = Invitation.objects.filter(
            partner_id=membership.partner_id,
            email=membership.user.email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        _revoke(list(waiting), reason=reason)


def _revoke(invitations: list[Invitation], *, reason: str = "") -> None:
    now = timezone.now()
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(revoked_at=now)
    for invitation in invitations:
        invitation.revoked_at = now
    with audit.because(reason):
        audit.record_updated((i, {"revoked_at": None}) for i in invitations)


def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """Withdraw an invitation that was not used yet; its link stops working."""
    _require_staff(actor, invitation.partner)
    with transaction.atomic():
        waiting = list(
            Invitation.objects.select_for_update().filter(
                pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
            )
        )
        if not waiting:
            raise DomainError("This invitation was already used or withdrawn.")
        _revoke(waiting)


# --- Enrollment moves ---------------------------------------------------------------


def copy_to_partner(enrollment: Enrollment) -> None:
    """Keep the partner's copy of its program status current (see Partner.security_status)."""
    if enrollment.program == Program.SECURITY:
        changes = {"security_status": enrollment.status, "security_tier": enrollment.tier}
    else:
        changes = {"trade_compliance_status": enrollment.status}
    Partner.objects.filter(pk=enrollment.partner_id).update(**changes)
    if Enrollment.partner.is_cached(enrollment):  # the partner object the caller holds, too
        for field, value in changes.items():
            setattr(enrollment.partner, field, value)


def _transition(
    *,
    enrollment: Enrollment,
    move: Move,
    actor: User,
    reason: str,
    caused_by: EnrollmentEvent | None = None,
    to: Status | None = None,
    by_appeal: bool = False,
    **changes: Any,
) -> EnrollmentEvent:
    """Move an enrollment along its program's TRANSITIONS map, and record the move.

    The target is the move's (MOVE_TARGETS) unless given (reinstatement).
    Locks the row first, so two people moving the same enrollment at once are
    serialized and the second sees the first one's result.
    """
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    locked.partner = enrollment.partner
    if caused_by is None and not by_appeal:
        # A person's move, judged on the locked row; a consequence of another move
        # (caused_by) is the system's, and an appeal's outcome was judged by its own rule.
        require(permissions.can_make_enrollment_move(actor, locked, move))
    if caused_by is None and not reason.strip():
        raise DomainError("Give a reason for the decision; it goes on the record.", field="reason")
    to = to or MOVE_TARGETS[move]
    allowed = allowed_targets(locked.program, locked.status, move)
    if to not in allowed:
        raise DomainError(permissions.move_refusal(locked, move))
    before = locked.status
    locked.status = to
    locked.status_changed_at = timezone.now()
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save()
    copy_to_partner(locked)
    event = EnrollmentEvent.objects.create(
        enrollment=locked,
        move=move,
        from_status=before,
        to_status=to,
        tier=locked.tier,
        actor=actor,
        reason=reason,
        caused_by=caused_by,
    )
    notify(
        recipients=[
            m.user
            for m in Membership.objects.filter(partner_id=locked.partner_id).select_related("user")
        ],
        # Labels as on the badges, not in a sentence: "Security: Under review → Certified".
        title=f"{locked.get_program_display()}: {Status(before).label} → {locked.status_label}",
        body=reason,
        url=reverse("partners:detail", args=[locked.partner_id]),
    )
    return event


def _decision_date(enrollment: Enrollment, on: date | None, *, field: str = "on") -> date:
    """The date a decision takes effect: today unless given; never future, never before applying.

    `field` is the form's name for the date, for the error."""
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise DomainError("A decision cannot be dated in the future.", field=field)
    if on < enrollment.applied_on:
        raise DomainError(
            f"A decision cannot be dated before the application ({enrollment.applied_on:%B %-d, %Y}).",
            field=field,
        )
    return on


def enrollment_start_review(*, enrollment: Enrollment, actor: User, reason: str) -> EnrollmentEvent:
    with transaction.atomic():
        return _transition(
            enrollment=enrollment,
            move=Move.START_REVIEW,
            actor=actor,
            reason=reason,
        )


def enrollment_certify(
    *, enrollment: Enrollment, actor: User, reason: str, on: date | None = None
) -> EnrollmentEvent:
    """Certify a Security application: Tier 1, and the 1-year validation clock starts."""
    with transaction.atomic():
        event = _transition(
            enrollment=enrollment,
            move=Move.CERTIFY,
            actor=actor,
            reason=reason,
            tier=1,
            certified_on=_decision_date(enrollment, on),
        )
        _start_annual_cycle(event.enrollment)
        return event


def enrollment_validate(
    *, enrollment: Enrollment, actor: User, tier: int, reason: str, on: date | None = None
) -> EnrollmentEvent:
    """Record a validation outcome: Tier 2, or Tier 3 when the partner exceeds the criteria."""
    if tier not in (2, 3):
        raise DomainError("A validated partner is at Tier 2 or Tier 3.", field="tier")
    with transaction.atomic():
        return _transition(
            enrollment=enrollment,
            move=Move.VALIDATE,
            actor=actor,
            reason=reason,
            tier=tier,
            last_validated_on=_decision_date(enrollment, on),
        )


def enrollment_accept(
    *, enrollment: Enrollment, actor: User, reason: str, on: date | None = None
) -> EnrollmentEvent:
    """Accept a Trade Compliance application, re-checking eligibility at the moment of decision."""
    with transaction.atomic():
        partner = enrollment.partner
        problems = trade_compliance_problems(partner, list(partner.enrollments.all()), None)
        problems += acceptance.problems(partner)
        if problems:
            raise DomainError("The partner is not eligible now: " + " ".join(problems))
        event = _transition(
            enrollment=enrollment,
            move=Move.ACCEPT,
            actor=actor,
            reason=reason,
            accepted_on=_decision_date(enrollment, on),
        )
        _start_annual_cycle(event.enrollment)
        return event


def _start_annual_cycle(enrollment: Enrollment) -> None:
    """Certification (Security) or acceptance (Trade Compliance) starts the yearly cycle of
    profile reviews or Annual Notification Letters: the first due date is stored on the
    enrollment, and each submission moves it on (profile_review_submit, ...)."""
    if enrollment.annual_due_on is None:
        enrollment.annual_due_on = deadlines.first_annual_due(enrollment)
        enrollment.save(update_fields=["annual_due_on"])


def _suspend_trade_compliance_after(event: EnrollmentEvent, actor: User) -> None:
    """Security suspended or removed: Trade Compliance is suspended too, as its consequence."""
    trade = Enrollment.objects.filter(
        partner_id=event.enrollment.partner_id,
        program=Program.TRADE_COMPLIANCE,
        status__in=IN_GOOD_STANDING,
    ).first()
    if trade is not None:
        _transition(
            enrollment=trade,
            move=Move.SUSPEND,
            actor=actor,
            reason=gettext("Security was %(state)s: %(reason)s")
            % {"state": ENROLLMENT_STATE[Status(event.to_status)], "reason": event.reason},
            caused_by=event,
            status_before_suspension=trade.status,
            # No letter of its own: the partner answers the Security suspension.
            suspended_on=None,
            suspension_cause=event.enrollment.suspension_cause or SuspensionCause.OTHER,
            suspension_cause_text=event.enrollment.suspension_cause_text
            or gettext("Security was removed"),
        )


def enrollment_suspend(
    *,
    enrollment: Enrollment,
    actor: User,
    reason: str,
    cause: str,
    cause_text: str = "",
    letter_on: date | None = None,
) -> EnrollmentEvent:
    """Suspend for a cause (SuspensionCause; "other" needs its text); the partner answers
    the letter with a corrective action plan (its deadline: partners/deadlines.py)."""
    try:
        cause = SuspensionCause(cause)
    except ValueError:
        raise DomainError(gettext("Choose the cause of the suspension."), field="cause") from None
    cause_text = cause_text.strip() if cause == SuspensionCause.OTHER else ""
    if cause == SuspensionCause.OTHER and not cause_text:
        raise DomainError(gettext("Say what the other cause is."), field="cause_text")
    with transaction.atomic():
        # The status to return to on reinstatement is the locked row's, not the caller's copy.
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        event = _transition(
            enrollment=enrollment,
            move=Move.SUSPEND,
            actor=actor,
            reason=reason,
            status_before_suspension=locked.status,
            suspended_on=_decision_date(enrollment, letter_on, field="letter_on"),
            suspension_cause=cause,
            suspension_cause_text=cause_text,
        )
        if enrollment.program == Program.SECURITY:
            _suspend_trade_compliance_after(event, actor)
        return event


def enrollment_reinstate(*, enrollment: Enrollment, actor: User, reason: str) -> EnrollmentEvent:
    """Back to the status held before the suspension, once corrective action is accepted."""
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        locked.partner = enrollment.partner
        require(permissions.can_make_enrollment_move(actor, locked, Move.REINSTATE))
        return _transition(
            enrollment=enrollment,
            move=Move.REINSTATE,
            to=Status(locked.status_before_suspension),
            actor=actor,
            reason=reason,
            status_before_suspension="",
            suspended_on=None,
            suspension_cause="",
            suspension_cause_text="",
        )


def enrollment_remove(*, enrollment: Enrollment, actor: User, reason: str) -> EnrollmentEvent:
    with transaction.atomic():
        event = _transition(enrollment=enrollment, move=Move.REMOVE, actor=actor, reason=reason)
        if enrollment.program == Program.SECURITY:
            _suspend_trade_compliance_after(event, actor)
        return event


def enrollment_withdraw(*, enrollment: Enrollment, actor: User, reason: str) -> EnrollmentEvent:
    with transaction.atomic():
        return _transition(
            enrollment=enrollment,
            move=Move.WITHDRAW,
            actor=actor,
            reason=reason,
        )


def enrollment_reject(*, enrollment: Enrollment, actor: User, reason: str) -> EnrollmentEvent:
    with transaction.atomic():
        return _transition(enrollment=enrollment, move=Move.REJECT, actor=actor, reason=reason)


def _new_attempt(partner: Partner, program: str, applied_on: date) -> Enrollment:
    """A new application to `program`: the current attempt (closed, as the caller checked
    under the partner's lock) becomes an earlier one, and the new one is current."""
    earlier = Enrollment.objects.filter(partner=partner, program=program).first()
    if earlier is not None:
        if earlier.status not in CLOSED:
            raise DomainError(gettext("The partner already has an open application."))
        Enrollment.objects.filter(pk=earlier.pk).update(is_current=False)
    enrollment = Enrollment.objects.create(
        partner=partner,
        program=program,
        status=Status.APPLICANT,
        applied_on=applied_on,
        attempt=earlier.attempt + 1 if earlier is not None else 1,
    )
    copy_to_partner(enrollment)
    return enrollment


def enrollment_reapply(
    *, partner: Partner, actor: User, reason: str, applied_on: date | None = None
) -> Enrollment:
    """A new Security application from a partner whose last attempt was rejected, withdrawn
    or removed, once the wait after it has passed (rules reapply_after_*). The partner keeps
    its account number, identifiers, sites and people; the earlier attempt and its events
    stay in the history."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        require(permissions.can_reapply(actor, partner, Program.SECURITY))
        if not reason.strip():
            raise DomainError(
                gettext("Give a reason for the decision; it goes on the record."), field="reason"
            )
        enrollment = _new_attempt(partner, Program.SECURITY, applied_on or timezone.localdate())
        EnrollmentEvent.objects.create(
            enrollment=enrollment,
            move=Move.APPLY,
            to_status=Status.APPLICANT,
            actor=actor,
            reason=reason,
        )
    return enrollment


MOVE_SERVICES = {
    Move.START_REVIEW: enrollment_start_review,
    Move.CERTIFY: enrollment_certify,
    Move.VALIDATE: enrollment_validate,
    Move.ACCEPT: enrollment_accept,
    Move.SUSPEND: enrollment_suspend,
    Move.REINSTATE: enrollment_reinstate,
    Move.REMOVE: enrollment_remove,
    Move.WITHDRAW: enrollment_withdraw,
    Move.REJECT: enrollment_reject,
}


def trade_compliance_apply(
    *,
    partner: Partner,
    actor: User,
    answers: dict[str, bool],
    reason: str = "",
    applied_on: date | None = None,
) -> Enrollment:
    """Record a Trade Compliance application with its questionnaire, if the partner is eligible."""
    require(permissions.can_apply_trade_compliance(actor, partner))
    with transaction.atomic():
        Partner.objects.select_for_update().get(pk=partner.pk)
        # The attempts as they are now, under the lock (not the caller's prefetched copy).
        fresh = Partner.objects.prefetch_related("enrollments").get(pk=partner.pk)
        require(permissions.may_apply_again(fresh, Program.TRADE_COMPLIANCE))
        enrollments = list(fresh.enrollments.all())
        problems = trade_compliance_problems(partner, enrollments, answers)
        if problems:
            raise DomainError(" ".join(problems))
        enrollment = _new_attempt(
            partner, Program.TRADE_COMPLIANCE, applied_on or timezone.localdate()
        )
        audit.record_created(
            EligibilityAnswer.objects.bulk_create(
                EligibilityAnswer(
                    enrollment=enrollment, question=code, answer=answers[code], answered_by=actor
                )
                for code, _ in ELIGIBILITY_QUESTIONS
            ),
            partner_id=partner.pk,
        )
        EnrollmentEvent.objects.create(
            enrollment=enrollment,
            move=Move.APPLY,
            to_status=Status.APPLICANT,
            actor=actor,
            reason=reason or "Trade Compliance application received; every eligibility answer yes",
        )
    return enrollment


# --- What the company officer submits -----------------------------------------------


def _already_submitted(
    model: type[ProfileReview] | type[NotificationLetter],
    enrollment: Enrollment,
    due_on: date,
    what: str,
) -> None:
    """A double submit (or a stale form) for a cycle that is already answered."""
    earlier = model.objects.filter(enrollment=enrollment, due_on=due_on).first()
    if earlier is not None:
        raise DomainError(
            f"The {what} due on {due_on:%B %-d, %Y} was already submitted by "
            f"{earlier.submitted_by} on {timezone.localtime(earlier.submitted_at):%B %-d, %Y}."
        )


def _annual_submission(
    *,
    spec: permissions.Annual[permissions.AnnualModel],
    enrollment: Enrollment,
    actor: User,
    due_on: date | None,
    **fields: str,
) -> permissions.AnnualModel:
    """Record a yearly submission for the first cycle not yet answered, from its window on
    (`spec`, a permissions.Annual, says what the submission is and when it opens).

    `due_on` is the cycle the form showed: a second submit of the same form is refused.
    """
    kind, model, next_due = spec.kind, spec.model, spec.next_due
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        locked.partner = enrollment.partner
        # The window is checked after a repeated submit of one form, which reads better as
        # "already submitted" than as "can be submitted from" the next cycle's window.
        require(permissions.can_submit_annual(actor, locked, kind, window=False))
        if due_on is not None:
            _already_submitted(model, locked, due_on, spec.what)
        require(permissions.can_submit_annual(actor, locked, kind))
        answered = set(model.objects.filter(enrollment=locked).values_list("due_on", flat=True))
        due = next_due(locked, answered)
        submission = model.objects.create(
            enrollment=locked, due_on=due, submitted_by=actor, **fields
        )
        locked.annual_due_on = next_due(locked, answered | {due})
        locked.save(update_fields=["annual_due_on"])
        return submission


def profile_review_submit(
    *, enrollment: Enrollment, actor: User, statement: str, due_on: date | None = None
) -> ProfileReview:
    """The annual Security Profile review, due on each certification anniversary."""
    if not statement.strip():
        raise DomainError(
            "Describe what changed in your security profile (or say nothing did).",
            field="statement",
        )
    return _annual_submission(
        spec=permissions.PROFILE_REVIEW,
        enrollment=enrollment,
        actor=actor,
        due_on=due_on,
        statement=statement,
    )


def notification_letter_submit(
    *, enrollment: Enrollment, actor: User, attestation: str, due_on: date | None = None
) -> NotificationLetter:
    """The Trade Compliance Annual Notification Letter: 13 months after acceptance, then yearly."""
    return _annual_submission(
        spec=permissions.NOTIFICATION_LETTER,
        enrollment=enrollment,
        actor=actor,
        due_on=due_on,
        attestation=attestation,
    )


# --- Corrective action plans ----------------------------------------------------------


def corrective_action_plan_save(
    *,
    enrollment: Enrollment,
    actor: User,
    summary: str,
    actions: list[dict],
    submit: bool,
) -> CorrectiveActionPlan:
    """The company officer's plan for the suspension in force: saved as a draft, or
    submitted to CBP (also after CBP returned it).

    Its objectives become those given: an item with the `id` of one of the plan's
    objectives changes it (its evidence stays with it), one without adds an objective, and
    an objective left out is removed unless evidence was uploaded for it (refused: the
    documents are on the record)."""
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        locked.partner = enrollment.partner
        require(permissions.can_submit_corrective_action_plan(actor, locked))
        if submit and not actions:
            raise DomainError(gettext("A plan needs at least one objective."))
        plan, _created = CorrectiveActionPlan.objects.get_or_create(
            enrollment=locked,
            suspended_on=locked.suspended_on,
            defaults={"created_by": actor},
        )
        if plan.status not in PLAN_EDITABLE:  # pragma: no cover - the rule refused it above
            raise DomainError(gettext("The plan can no longer be changed."))
        plan.summary = summary
        if submit:
            plan.status = PlanStatus.SUBMITTED
            plan.submitted_at = timezone.now()
        _attribute(plan, actor, "Plan submitted" if submit else "Plan saved")
        plan.save()
        existing = {a.pk: a for a in plan.actions.all()}
        kept = set()
        for item in actions:
            fields = {k: v for k, v in item.items() if k != "id"}
            known = existing.get(item["id"]) if item.get("id") else None
            action = known or CorrectiveAction(plan=plan)
            for name, value in fields.items():
                setattr(action, name, value)
            _attribute(action, actor, "")
            action.save()
            kept.add(action.pk)
        for pk, action in existing.items():
            if pk in kept:
                continue
            if action.evidence.exists():
                raise DomainError(
                    gettext(
                        "“%(objective)s” has evidence uploaded; it stays in the plan (change "
                        "its wording if it changed)."
                    )
                    % {"objective": action.objective}
                )
            _attribute(action, actor, "")
            action.delete()
        if submit:
            notify(
                recipients=_office_supervisors(locked.partner),
                title=gettext("Corrective action plan of %(partner)s waits for your decision")
                % {"partner": locked.partner.legal_name},
                body=summary,
                url=reverse("partners:plan_decide", args=[locked.partner_id, plan.pk]),
                subject=plan_subject(plan),
            )
    return plan


def plan_subject(plan: CorrectiveActionPlan) -> str:
    """The notification subject of a submitted plan waiting for a supervisor's decision."""
    return f"corrective-action-plan:{plan.pk}"


def appeal_subject(appeal: Appeal) -> str:
    """The notification subject of a filed appeal waiting for a supervisor's decision."""
    return f"appeal:{appeal.pk}"


def corrective_action_evidence_add(
    *, action: CorrectiveAction, actor: User, files: Sequence[UploadedFile]
) -> list[CorrectiveActionEvidence]:
    """The partner's documents showing one objective of its plan done.

    Through the one upload path: each file is judged by its content and name before any is
    kept (a renamed program is refused with the reason), stored under a generated name with
    its SHA-256, and scanned before anyone else may download it."""
    if not files:
        raise DomainError(gettext("Choose a file to upload."), field="file")
    for file in files:
        uploads.check(file)
    with uploads.storing() as keep, transaction.atomic():
        plan = (
            CorrectiveActionPlan.objects.select_for_update()
            .select_related("enrollment__partner")
            .get(pk=action.plan_id)
        )
        require(permissions.can_add_corrective_action_evidence(actor, plan))
        documents = []
        for file in files:
            stored = keep(file, folder=f"corrective-actions/{action.pk}")
            document = CorrectiveActionEvidence(
                action=action,
                stored_name=stored.stored_name,
                original_name=stored.original_name,
                kind=stored.kind,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=actor,
            )
            _attribute(document, actor, "")
            document.save()  # recorded on the audit log by its receivers
            documents.append(document)
        scanning.request_scan(documents)
    return documents


def _office_supervisors(partner: Partner) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.SUPERVISOR, field_office_id=partner.field_office_id, is_active=True
        )
    )


def _members(partner_id: int) -> list[User]:
    return [m.user for m in Membership.objects.filter(partner_id=partner_id).select_related("user")]


def partner_overdue_flag(
    *, actor: User, partner_id: int, label: str, url: str, reason: str
) -> list[User]:
    """CBP flags an obligation the partner let pass (a supervisor confirmed the proposal):
    each of the partner's users is told, with the supervisor's reason and a link to the item
    (`url`, or the partner page). The confirmed proposal is the record: the partner's
    timeline shows it as confirmed by CBP. Returns the users told."""
    _require_staff(actor, Partner.objects.get(pk=partner_id))
    users = _members(partner_id)
    notify(
        recipients=users,
        title=gettext("CBP has flagged an overdue item: %(label)s") % {"label": label},
        body=reason,
        url=url or reverse("partners:detail", args=[partner_id]),
    )
    return users


def enrollment_validation_escalate(
    *, actor: User, enrollment: Enrollment, label: str, reason: str
) -> list[User]:
    """An overdue (re)validation escalated by a supervisor: the partner's specialist, or the
    field office's supervisors when none is assigned, is asked to plan it, with a link to
    the page that plans a validation of the partner. Returns who was asked.

    The deadline is this app's (partners/deadlines.py); planning is the validations app's,
    reached by its URL name only, as the partner page's links do."""
    partner = Partner.objects.select_related("specialist").get(pk=enrollment.partner_id)
    _require_staff(actor, partner)
    people = [partner.specialist] if partner.specialist else _office_supervisors(partner)
    notify(
        recipients=people,
        title=gettext("Plan the overdue %(label)s of %(partner)s")
        % {"label": label.lower(), "partner": partner.legal_name},
        body=reason,
        url=reverse("validations:plan", args=[partner.pk]),
    )
    return [person for person in people if person is not None]


def corrective_action_plan_decide(
    *, plan: CorrectiveActionPlan, actor: User, accept: bool, reason: str
) -> CorrectiveActionPlan:
    """A supervisor accepts the submitted plan (reinstatement is then possible) or returns
    it to the partner for changes, with a reason either way."""
    if not reason.strip():
        raise DomainError(gettext("Give a reason; it goes on the record."), field="reason")
    with transaction.atomic():
        locked = (
            CorrectiveActionPlan.objects.select_for_update()
            .select_related("enrollment__partner")
            .get(pk=plan.pk)
        )
        require(permissions.can_decide_corrective_action_plan(actor, locked))
        locked.status = PlanStatus.ACCEPTED if accept else PlanStatus.RETURNED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        _attribute(locked, actor, reason)
        locked.save()
        partner = locked.enrollment.partner
        # The decision form now refuses: the notification points at the partner's page.
        mark_done(plan_subject(locked), by=actor, url=reverse("partners:detail", args=[partner.pk]))
        notify(
            recipients=[m.user for m in partner.memberships.select_related("user")],
            title=gettext("Your corrective action plan was %(state)s")
            % {"state": PLAN_STATE[PlanStatus(locked.status)]},
            body=reason,
            url=reverse("partners:detail", args=[partner.pk]),
        )
    return locked


# --- Appeals --------------------------------------------------------------------------


def appeal_file(*, enrollment: Enrollment, actor: User, grounds: str) -> Appeal:
    """The company officer appeals the suspension or rejection of the current attempt."""
    if not grounds.strip():
        raise DomainError(gettext("Say why the decision should change."), field="grounds")
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        locked.partner = enrollment.partner
        require(permissions.can_file_appeal(actor, locked))
        decision = permissions.appealed_decision(locked)
        if decision is None:  # pragma: no cover - every status change writes its event
            raise DomainError(gettext("There is no decision on record to appeal."))
        appeal = Appeal(
            enrollment=locked,
            decision=decision,
            appealed_status=locked.status,
            grounds=grounds,
            filed_by=actor,
            filed_on=timezone.localdate(),
        )
        _attribute(appeal, actor, "Appeal filed")
        appeal.save()
        notify(
            recipients=_office_supervisors(locked.partner),
            title=gettext("Appeal of %(partner)s waits for your decision")
            % {"partner": locked.partner.legal_name},
            body=grounds,
            url=reverse("partners:appeal_decide", args=[locked.partner_id, appeal.pk]),
            subject=appeal_subject(appeal),
        )
    return appeal


def appeal_decide(*, appeal: Appeal, actor: User, upheld: bool, reason: str) -> Appeal:
    """A supervisor decides: upheld, the suspension is lifted (reinstated to the earlier
    status) or the rejected application reopened (under review again); denied, the
    decision stands."""
    if not reason.strip():
        raise DomainError(gettext("Give a reason; it goes on the record."), field="reason")
    with transaction.atomic():
        locked = (
            Appeal.objects.select_for_update()
            .select_related("enrollment__partner")
            .get(pk=appeal.pk)
        )
        require(permissions.can_decide_appeal(actor, locked))
        enrollment = locked.enrollment
        locked.status = AppealStatus.UPHELD if upheld else AppealStatus.DENIED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        _attribute(locked, actor, reason)
        locked.save()
        mark_done(
            appeal_subject(locked),
            by=actor,
            url=reverse("partners:detail", args=[enrollment.partner_id]),
        )
        if upheld and enrollment.status == Status.SUSPENDED:
            _transition(
                enrollment=enrollment,
                move=Move.REINSTATE,
                to=Status(enrollment.status_before_suspension),
                actor=actor,
                reason=gettext("Appeal upheld: %(reason)s") % {"reason": reason},
                by_appeal=True,
                status_before_suspension="",
                suspended_on=None,
                suspension_cause="",
                suspension_cause_text="",
            )
        elif upheld:
            _transition(
                enrollment=enrollment,
                move=Move.REOPEN,
                actor=actor,
                reason=gettext("Appeal upheld: %(reason)s") % {"reason": reason},
                by_appeal=True,
            )
        else:
            notify(
                recipients=[m.user for m in enrollment.partner.memberships.select_related("user")],
                title=gettext("Your appeal was denied"),
                body=reason,
                url=reverse("partners:detail", args=[enrollment.partner_id]),
            )
    return locked
