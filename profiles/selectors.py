"""Reads of Security Profiles for pages and other apps, in bounded queries."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import User
from partners.models import Partner

from .choices import WAITING_FOR_CBP, ProfileStatus
from .models import ProfileAnswer, ProfileDocument, SecurityProfile

ANSWER_RELATED = ("criterion_version__criterion__category__focus_area", "reviewed_by")


def versions_of(partner: Partner) -> list[SecurityProfile]:
    """Every version of the partner's profile, newest first, with its people."""
    return list(
        SecurityProfile.objects.filter(partner=partner)
        .select_related("submitted_by", "reviewer", "created_by")
        .order_by("-version")
    )


def profile_for(user: User, profile_id: int) -> SecurityProfile:
    """One version the user may see, or 404."""
    return get_object_or_404(
        SecurityProfile.objects.visible_to(user).select_related(
            "partner__field_office", "based_on", "submitted_by", "reviewer"
        ),
        pk=profile_id,
    )


def answer_for(user: User, answer_id: int) -> ProfileAnswer:
    return get_object_or_404(
        ProfileAnswer.objects.visible_to(user).select_related("profile__partner", *ANSWER_RELATED),
        pk=answer_id,
    )


def document_for(user: User, document_id: int) -> ProfileDocument:
    return get_object_or_404(
        ProfileDocument.objects.visible_to(user).downloadable(), pk=document_id
    )


def answers_of(profile: SecurityProfile) -> list[ProfileAnswer]:
    """The answers in criterion order, with their criterion and evidence (three queries)."""
    answers = list(
        profile.answers.select_related(*ANSWER_RELATED).prefetch_related(
            Prefetch("evidence", queryset=ProfileDocument.objects.order_by("original_name"))
        )
    )
    for answer in answers:
        answer.profile = profile
    return answers


def undecided_count(answers: Iterable[ProfileAnswer]) -> int:
    return sum(1 for a in answers if not a.review)


def blank_percent(answers: list[ProfileAnswer]) -> int:
    if not answers:
        return 0
    return round(100 * sum(1 for a in answers if a.is_blank) / len(answers))


@dataclass
class CategoryGroup:
    category: Any
    answers: list = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers if not a.is_blank)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / len(self.answers)) if self.answers else 100


def grouped(answers: Iterable[ProfileAnswer]) -> list[dict[str, Any]]:
    """Answers by focus area, then category, as the criteria booklets present them, with the
    progress of each category. No queries: answers_of loaded the rows."""
    areas: dict[int, dict[str, Any]] = {}
    for answer in answers:
        category = answer.criterion_version.criterion.category
        area = areas.setdefault(
            category.focus_area.number, {"focus_area": category.focus_area, "categories": {}}
        )
        area["categories"].setdefault(category.number, CategoryGroup(category)).answers.append(
            answer
        )
    return [
        {
            "focus_area": area["focus_area"],
            "categories": [area["categories"][n] for n in sorted(area["categories"])],
        }
        for _, area in sorted(areas.items())
    ]


def documents_on_file(partner: Partner, user: User) -> list[ProfileDocument]:
    """Evidence the partner already keeps on file, to pick instead of uploading again."""
    return list(
        ProfileDocument.objects.filter(partner=partner).listed_for(user).order_by("original_name")
    )


def last_accepted(partner: Partner) -> SecurityProfile | None:
    return (
        SecurityProfile.objects.filter(partner=partner, status=ProfileStatus.ACCEPTED)
        .order_by("-version")
        .first()
    )


def accepted_answers(partner: Partner) -> dict[int, ProfileAnswer]:
    """The answers of the partner's last accepted version by criterion id, with their evidence
    (what validations will read to pre-fill findings, through a registry extension point;
    three queries). Empty when no version is accepted."""
    accepted = last_accepted(partner)
    if accepted is None:
        return {}
    return {a.criterion_version.criterion_id: a for a in answers_of(accepted)}


def has_accepted_profile(partner_id: int) -> bool:
    return SecurityProfile.objects.filter(
        partner_id=partner_id, status=ProfileStatus.ACCEPTED
    ).exists()


def review_queue(user: User) -> QuerySet[SecurityProfile]:
    """Versions waiting for CBP that the user may see, oldest submission first, with the
    count of answers not reviewed yet."""
    return (
        SecurityProfile.objects.visible_to(user)
        .filter(status__in=WAITING_FOR_CBP)
        .select_related("partner", "submitted_by")
        .annotate(undecided=Count("answers", filter=Q(answers__review="")))
        .order_by("submitted_at")
    )


FIELDS_COMPARED = ("implemented", "narrative", "not_applicable_reason", "owner", "last_reviewed_on")


def diff(newer: list[ProfileAnswer], older: list[ProfileAnswer]) -> list[dict[str, Any]]:
    """What changed from `older` to `newer`, criterion by criterion: answers added, removed
    or changed (the fields and evidence that differ). No queries: both lists are loaded."""
    before = {a.criterion_version.criterion_id: a for a in older}
    after = {a.criterion_version.criterion_id: a for a in newer}
    rows = []

    def order(criterion_id):
        criterion = (after.get(criterion_id) or before[criterion_id]).criterion_version.criterion
        return (criterion.category.number, criterion.number)

    for criterion_id in sorted(before.keys() | after.keys(), key=order):
        old, new = before.get(criterion_id), after.get(criterion_id)
        answer = new or old
        if answer is None:  # pragma: no cover - the id came from one of the two
            continue
        changes = []
        if old is not None and new is not None:
            for name in FIELDS_COMPARED:
                was, now = getattr(old, name), getattr(new, name)
                if was != now:
                    label = getattr(ProfileAnswer._meta.get_field(name), "verbose_name", name)
                    if name == "implemented":
                        was, now = old.get_implemented_display(), new.get_implemented_display()
                    changes.append((label, was, now))
            old_files = {d.original_name for d in old.evidence.all()}
            new_files = {d.original_name for d in new.evidence.all()}
            if old_files != new_files:
                changes.append(
                    (_("evidence"), ", ".join(sorted(old_files)), ", ".join(sorted(new_files)))
                )
            if old.criterion_version_id != new.criterion_version_id:
                changes.append(
                    (_("criterion version"), str(old.criterion_version), str(new.criterion_version))
                )
        if old is None or new is None or changes:
            rows.append(
                {
                    "criterion": answer.criterion_version.criterion,
                    "added": old is None,
                    "removed": new is None,
                    "changes": changes,
                }
            )
    return rows
