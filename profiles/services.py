"""Every change to a Security Profile: starting a version, answering, signing and submitting,
and CBP's review. Each writes its audit record (the generic receivers record saved rows;
`update()`s and evidence links are recorded here) in the change's transaction."""

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.choices import AuditEventType
from accounts.models import User
from ctpat import scanning, uploads
from ctpat.errors import DomainError
from ctpat.permissions import require
from ctpat.program_rules import rule_int
from notifications.services import notify
from partners import permissions as partner_permissions
from partners import services as partner_services
from partners.choices import Program
from partners.models import Membership, Partner
from validations.selectors import criteria_in_force

from . import permissions, selectors
from .choices import AGREEMENT_VERSIONS, TRANSITIONS, AnswerReview, Implemented, ProfileKind
from .choices import ProfileStatus as Status
from .models import ProfileAnswer, ProfileDocument, SecurityProfile

ANSWER_FIELDS = ("narrative", "implemented", "not_applicable_reason", "owner", "last_reviewed_on")


def _move(profile: SecurityProfile, to: Status) -> None:
    if to not in TRANSITIONS[Status(profile.status)]:
        raise DomainError(
            _("Version %(n)s is %(status)s; it cannot become %(to)s.")
            % {
                "n": profile.version,
                "status": profile.get_status_display().lower(),
                "to": Status(to).label.lower(),
            }
        )
    profile.status = to


def _partner_users(partner_id: int) -> list[User]:
    return [m.user for m in Membership.objects.filter(partner_id=partner_id).select_related("user")]


def _security_enrollment(partner: Partner):
    return next(
        (e for e in partner.enrollments.all() if e.program == Program.SECURITY and e.is_current),
        None,
    )


def profile_start(*, actor: User, partner: Partner, annual: bool = False) -> SecurityProfile:
    """Start the next version: a first profile of blank answers, one per criterion that
    applies to the partner's entity type; or a copy of the latest version (the answers to a
    returned one, or an update or the annual review of the accepted one).

    A copied answer keeps its review while its criterion's version is still in force and the
    partner does not change it, so CBP reviews only what changed.
    """
    with transaction.atomic():
        Partner.objects.select_for_update().get(pk=partner.pk)  # one version at a time
        versions = selectors.versions_of(partner)
        require(permissions.can_start_profile(actor, partner, versions, annual=annual))
        if annual:
            require(
                partner_permissions.can_submit_profile_review(actor, _security_enrollment(partner))
            )
        kind = permissions.next_kind(versions, annual=annual)
        if kind is None:  # pragma: no cover - can_start_profile refused it above
            raise DomainError(_("A version is already open; finish it first."))
        today = timezone.localdate()
        in_force = criteria_in_force(partner.entity_type, today)
        if not in_force:
            raise DomainError(
                _("No criteria apply to a %(type)s yet; ask CBP to load the catalogue.")
                % {"type": partner.get_entity_type_display()}
            )
        if kind == ProfileKind.CORRECTION:
            base = versions[0]
        elif kind == ProfileKind.FIRST:
            base = None
        else:
            base = next(v for v in versions if v.status == Status.ACCEPTED)
        latest = max((v.version for v in versions), default=0)
        profile = SecurityProfile.objects.create(
            partner=partner,
            version=latest + 1,
            kind=kind,
            based_on=base,
            criteria_date=today,
            created_by=actor,
        )
        earlier = {}
        if base is not None:
            earlier = {
                a.criterion_version.criterion_id: a
                for a in base.answers.select_related("criterion_version").prefetch_related(
                    "evidence"
                )
            }
        answers = []
        for version in in_force:
            old = earlier.get(version.criterion_id)
            answer = ProfileAnswer(profile=profile, criterion_version=version)
            if old is not None:
                for name in (*ANSWER_FIELDS, "answer_later"):
                    setattr(answer, name, getattr(old, name))
                if old.criterion_version_id == version.pk and old.review == AnswerReview.ACCEPTED:
                    answer.review = old.review
                    answer.reviewed_by_id, answer.reviewed_at = old.reviewed_by_id, old.reviewed_at
                elif old.review == AnswerReview.NEEDS_INFO:
                    answer.review_comment = (
                        old.review_comment
                    )  # what CBP asked, shown to the partner
            answers.append(answer)
        answers = ProfileAnswer.objects.bulk_create(answers)
        audit.record_created(answers, partner_id=partner.pk)
        links = [
            ProfileAnswer.evidence.through(profileanswer_id=a.pk, profiledocument_id=d.pk)
            for a in answers
            if a.criterion_version.criterion_id in earlier
            for d in earlier[a.criterion_version.criterion_id].evidence.all()
        ]
        ProfileAnswer.evidence.through.objects.bulk_create(links)
    return profile


def answer_save(
    *,
    actor: User,
    answer: ProfileAnswer,
    data: dict,
    files: Sequence[UploadedFile] = (),
    on_file: Sequence[ProfileDocument] = (),
) -> ProfileAnswer:
    """Save one answer (a draft may be left incomplete and resumed later). New files go
    through ctpat.uploads and are kept on file; `on_file` picks documents already there.

    In an annual review, saving confirms the answer, changed or not. A changed answer loses
    the review it was copied with, for CBP to review again."""
    require(permissions.can_edit_answer(actor, answer))
    profile = answer.profile
    if (
        data.get("implemented") == Implemented.NOT_APPLICABLE
        and not (data.get("not_applicable_reason") or "").strip()
    ):
        raise DomainError(
            _("Say why the criterion does not apply to the company."),
            field="not_applicable_reason",
        )
    reviewed = data.get("last_reviewed_on")
    if reviewed and reviewed > timezone.localdate():
        raise DomainError(
            _("The date last reviewed cannot be in the future."), field="last_reviewed_on"
        )
    foreign = [d for d in on_file if d.partner_id != profile.partner_id]
    if foreign:
        raise DomainError(_("Pick documents of this company only."), field="on_file")
    for file in files:
        uploads.check(file)
    with uploads.storing() as keep, transaction.atomic():
        locked = ProfileAnswer.objects.select_for_update().get(pk=answer.pk)
        locked.profile = profile
        require(permissions.can_edit_answer(actor, locked))
        before_files = set(locked.evidence.values_list("pk", flat=True))
        changed = False
        for name in ANSWER_FIELDS:
            value = data.get(name)
            if value is None and name != "last_reviewed_on":
                value = ""
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed = True
        if locked.implemented != Implemented.NOT_APPLICABLE:
            locked.not_applicable_reason = ""
        locked.answer_later = bool(data.get("answer_later"))
        if profile.kind == ProfileKind.ANNUAL_REVIEW:
            locked.confirmed = True
        kept = []
        for file in files:
            stored = keep(file, folder=f"profiles/{profile.partner_id}")
            kept.append(
                ProfileDocument.objects.create(
                    partner_id=profile.partner_id,
                    stored_name=stored.stored_name,
                    original_name=stored.original_name,
                    kind=stored.kind,
                    size=stored.size,
                    sha256=stored.sha256,
                    uploaded_by=actor,
                )
            )
        scanning.request_scan(kept)
        after_files = {d.pk for d in on_file} | {d.pk for d in kept}
        if after_files != before_files:
            changed = True
            locked.evidence.set(after_files)
            audit.record(
                AuditEventType.UPDATED,
                obj=locked,
                partner_id=profile.partner_id,
                before={"evidence": sorted(before_files)},
                after={"evidence": sorted(after_files)},
            )
        if changed and locked.review:
            # The comment stays: it says what CBP asked for, beside the new answer.
            locked.review = ""
            locked.reviewed_by, locked.reviewed_at = None, None
        locked.save()
    return locked


def profile_submit(
    *,
    actor: User,
    profile: SecurityProfile,
    signed_name: str,
    signed_title: str,
    signed_on: date,
    agreement_version: str,
) -> SecurityProfile:
    """The company officer signs and submits a draft.

    A version submitted more than half blank (rule blank_profile_percent) is flagged: it
    must be completed within blank_profile_fix_days (profiles.deadlines). A later version
    submitted no more than half blank completes it. An annual-review version records the
    cycle's partners.ProfileReview (same due date as before) and every answer must be
    confirmed or updated first."""
    require(permissions.can_submit_profile(actor, profile))
    if not signed_name.strip():
        raise DomainError(_("Sign with your name."), field="signed_name")
    if not signed_title.strip():
        raise DomainError(_("Give your title in the company."), field="signed_title")
    if signed_on > timezone.localdate():
        raise DomainError(_("The signature cannot be dated in the future."), field="signed_on")
    if agreement_version not in dict(AGREEMENT_VERSIONS):
        raise DomainError(_("Choose the partner agreement you sign."), field="agreement_version")
    with transaction.atomic():
        locked = SecurityProfile.objects.select_for_update().get(pk=profile.pk)
        locked.partner = profile.partner
        require(permissions.can_submit_profile(actor, locked))
        answers = list(locked.answers.all())
        if locked.kind == ProfileKind.ANNUAL_REVIEW:
            unconfirmed = sum(1 for a in answers if not a.confirmed)
            if unconfirmed:
                raise DomainError(
                    _("Confirm or update every answer first: %(count)s are not confirmed yet.")
                    % {"count": unconfirmed}
                )
        _move(locked, Status.SUBMITTED)
        locked.signed_name, locked.signed_title = signed_name.strip(), signed_title.strip()
        locked.signed_on, locked.agreement_version = signed_on, agreement_version
        locked.submitted_by, locked.submitted_at = actor, timezone.now()
        locked.blank_percent = selectors.blank_percent(answers)
        blank = sum(1 for a in answers if a.is_blank)
        if blank * 100 > rule_int("blank_profile_percent") * len(answers):  # exact, not rounded
            locked.blank_fix_due_on = timezone.localdate() + timedelta(
                days=rule_int("blank_profile_fix_days")
            )
        else:
            flagged = list(
                SecurityProfile.objects.filter(
                    partner_id=locked.partner_id,
                    blank_fix_due_on__isnull=False,
                    blank_fixed_at__isnull=True,
                )
            )
            now = timezone.now()
            SecurityProfile.objects.filter(pk__in=[f.pk for f in flagged]).update(
                blank_fixed_at=now
            )
            for earlier in flagged:
                earlier.blank_fixed_at = now
            audit.record_updated(
                [(f, {"blank_fixed_at": None}) for f in flagged], partner_id=locked.partner_id
            )
        if locked.kind == ProfileKind.ANNUAL_REVIEW:
            changed = sum(1 for a in answers if not a.review)
            locked.annual_review = partner_services.profile_review_submit(
                enrollment=_security_enrollment(locked.partner),
                actor=actor,
                statement=_(
                    "Security Profile version %(n)s: %(total)s answers confirmed, %(changed)s "
                    "of them updated."
                )
                % {"n": locked.version, "total": len(answers), "changed": changed},
            )
        locked.save()
        partner = locked.partner
        notify(
            recipients=[partner.specialist],
            title=_("%(partner)s submitted Security Profile version %(n)s")
            % {"partner": partner.legal_name, "n": locked.version},
            url=reverse("profiles:review", args=[locked.pk]),
        )
    return locked


def answer_review(
    *, actor: User, answer: ProfileAnswer, accept: bool, comment: str = ""
) -> ProfileAnswer:
    """CBP accepts one answer, or asks for more information with a comment the partner reads.
    The first review moves a submitted version under review."""
    profile = answer.profile
    require(permissions.can_review_profile(actor, profile))
    if not accept and not comment.strip():
        raise DomainError(
            _("Say what more information is needed; the partner reads it."), field="comment"
        )
    with transaction.atomic():
        locked_profile = SecurityProfile.objects.select_for_update().get(pk=profile.pk)
        locked_profile.partner = profile.partner
        require(permissions.can_review_profile(actor, locked_profile))
        if locked_profile.status == Status.SUBMITTED:
            _move(locked_profile, Status.UNDER_REVIEW)
            locked_profile.reviewer = actor
            locked_profile.save(update_fields=["status", "reviewer"])
        answer.review = AnswerReview.ACCEPTED if accept else AnswerReview.NEEDS_INFO
        answer.review_comment = "" if accept else comment.strip()
        answer.reviewed_by, answer.reviewed_at = actor, timezone.now()
        answer.save(update_fields=["review", "review_comment", "reviewed_by", "reviewed_at"])
    profile.status = locked_profile.status
    return answer


def profile_decide(*, actor: User, profile: SecurityProfile, comment: str = "") -> SecurityProfile:
    """End the review: accepted when every answer is, else returned with the answers that need
    more information (only those go back to the partner)."""
    with transaction.atomic():
        locked = SecurityProfile.objects.select_for_update().get(pk=profile.pk)
        locked.partner = profile.partner
        answers = list(locked.answers.all())
        require(permissions.can_decide_profile(actor, locked, selectors.undecided_count(answers)))
        if locked.status == Status.SUBMITTED:  # every answer carried its acceptance over
            _move(locked, Status.UNDER_REVIEW)
        returned = [a for a in answers if a.review == AnswerReview.NEEDS_INFO]
        _move(locked, Status.RETURNED if returned else Status.ACCEPTED)
        locked.reviewer, locked.decided_at = actor, timezone.now()
        locked.decision_comment = comment.strip()
        locked.save()
        notify(
            recipients=_partner_users(locked.partner_id),
            title=(
                _(
                    "Security Profile version %(n)s returned: %(count)s criteria need more information"
                )
                % {"n": locked.version, "count": len(returned)}
                if returned
                else _("Security Profile version %(n)s accepted") % {"n": locked.version}
            ),
            body=locked.decision_comment,
            url=reverse("profiles:version", args=[locked.pk]),
        )
    return locked


def ask_to_update_answers(*, action) -> None:
    """A required action was closed (validations, through the "required_action_closed"
    extension point): ask the partner to update the answer of its criterion."""
    finding = action.finding
    criterion = finding.criterion_version.criterion
    partner_id = finding.validation.enrollment.partner_id
    notify(
        recipients=_partner_users(partner_id),
        title=_("Update your Security Profile answer on criterion %(code)s")
        % {"code": criterion.code},
        body=_(
            "The required action on criterion %(code)s is closed. Update the answers it "
            "touches in a new version of your Security Profile."
        )
        % {"code": criterion.code},
        url=reverse("profiles:partner", args=[partner_id]),
    )
