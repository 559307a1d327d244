"""Demo Security Profiles: every certified demo partner has an accepted profile (made before
partners' demo certifies it, through "demo_before_certify"); then, with the partners' users
in place, profiles in each other state through the services the pages use:

- Acme Imports: an update in draft (saved half-way, to resume);
- Pacific Gateway Imports: an update submitted and returned with one criterion to answer;
- Harbor Point Cold Storage: an update signed and submitted, waiting for CBP;
- Transportes del Norte: a first profile submitted half blank, flagged for completion.
"""

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from partners.models import Partner
from validations import catalogue
from validations.selectors import criteria_in_force

from . import services
from .choices import AnswerReview, Implemented, ProfileKind, ProfileStatus
from .models import ProfileAnswer, SecurityProfile

NARRATIVE = (
    "Written procedure reviewed yearly by the security manager; records kept for two years "
    "and checked at each internal audit."
)


def _answer_fields(n: int) -> dict:
    return {
        "narrative": NARRATIVE,
        "implemented": Implemented.PARTLY if n % 7 == 3 else Implemented.YES,
        "owner": "Security manager",
        "last_reviewed_on": timezone.localdate(),
    }


def accepted_profile(enrollment, actor) -> SecurityProfile | None:
    """An accepted first profile for a partner about to be certified, written as a record of
    a review done outside the portal (the demo's partners have no users yet)."""
    partner = enrollment.partner
    if SecurityProfile.objects.filter(partner=partner, status=ProfileStatus.ACCEPTED).exists():
        return None
    # The partners demo certifies before the validations demo runs: on an emptied database
    # (a transactional test) the criteria must be there before the profile is written.
    catalogue.load(apps.get_model)
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        profile = SecurityProfile.objects.create(
            partner=partner,
            version=1,
            status=ProfileStatus.ACCEPTED,
            criteria_date=today,
            created_by=actor,
            signed_name="Company officer",
            signed_title="President",
            signed_on=today,
            agreement_version="2020-03",
            submitted_by=actor,
            submitted_at=now,
            blank_percent=0,
            reviewer=actor,
            decided_at=now,
        )
        ProfileAnswer.objects.bulk_create(
            ProfileAnswer(
                profile=profile,
                criterion_version=version,
                review=AnswerReview.ACCEPTED,
                reviewed_by=actor,
                reviewed_at=now,
                confirmed=True,
                **_answer_fields(n),
            )
            for n, version in enumerate(criteria_in_force(partner.entity_type, today))
        )
    return profile


def _officer(email: str) -> User:
    return User.objects.get(email=email)


def _fill(profile, actor, share: float) -> None:
    answers = list(profile.answers.select_related("profile__partner"))
    for n, answer in enumerate(answers[: int(len(answers) * share)]):
        answer.profile = profile
        services.answer_save(actor=actor, answer=answer, data=_answer_fields(n))


def _sign(profile, actor) -> SecurityProfile:
    return services.profile_submit(
        actor=actor,
        profile=profile,
        signed_name=actor.full_name,
        signed_title="Company officer",
        signed_on=timezone.localdate(),
        agreement_version="2020-03",
    )


def _update(partner_name: str, email: str) -> tuple[SecurityProfile, User] | None:
    partner = Partner.objects.get(legal_name=partner_name)
    if SecurityProfile.objects.filter(partner=partner, kind=ProfileKind.UPDATE).exists():
        return None
    officer = _officer(email)
    profile = services.profile_start(actor=officer, partner=partner)
    return profile, officer


def load() -> list[str]:
    lines = []
    specialist_lb = User.objects.get(email="specialist.lb@cbp.example")
    started = _update("Acme Imports Inc.", "officer@acme-imports.example")
    if started:
        profile, officer = started
        first = profile.answers.select_related("profile__partner").first()
        first.profile = profile
        services.answer_save(
            actor=officer,
            answer=first,
            data={**_answer_fields(0), "narrative": NARRATIVE + " Now also by video."},
        )
        lines.append("  Acme Imports Inc.: an update in draft")
    started = _update("Pacific Gateway Imports", "officer@pacificgateway.example")
    if started:
        profile, officer = started
        answer = profile.answers.select_related("profile__partner").first()
        answer.profile = profile
        services.answer_save(
            actor=officer, answer=answer, data={**_answer_fields(1), "owner": "Plant manager"}
        )
        profile = _sign(profile, officer)
        answer.profile = profile
        services.answer_review(
            actor=specialist_lb,
            answer=answer,
            accept=False,
            comment="Name the plant manager's deputy and attach the training record.",
        )
        services.profile_decide(actor=specialist_lb, profile=profile)
        lines.append("  Pacific Gateway Imports: an update returned with one criterion")
    started = _update("Harbor Point Cold Storage", "officer@harborpoint.example")
    if started:
        profile, officer = started
        answer = profile.answers.select_related("profile__partner").first()
        answer.profile = profile
        services.answer_save(actor=officer, answer=answer, data=_answer_fields(2))
        _sign(profile, officer)
        lines.append("  Harbor Point Cold Storage: an update submitted, waiting for review")
    norte = Partner.objects.get(legal_name="Transportes del Norte")
    if not SecurityProfile.objects.filter(partner=norte).exists():
        officer = _officer("officer@transportesdelnorte.example")
        profile = services.profile_start(actor=officer, partner=norte)
        _fill(profile, officer, 0.3)
        _sign(profile, officer)
        lines.append("  Transportes del Norte: a first profile submitted 70% blank, flagged")
    return ["Security Profiles:", *lines] if lines else []
