"""The Security Profile's statuses, their moves, and what an answer can say."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


S = ProfileStatus
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.UNDER_REVIEW},
    S.UNDER_REVIEW: {S.RETURNED, S.ACCEPTED},
    # A returned or accepted version is kept as it was: the partner answers in a new version.
    S.RETURNED: set(),
    S.ACCEPTED: set(),
}
del S

# Versions CBP has in hand: while one exists the partner cannot start another.
OPEN = (ProfileStatus.DRAFT, ProfileStatus.SUBMITTED, ProfileStatus.UNDER_REVIEW)
WAITING_FOR_CBP = (ProfileStatus.SUBMITTED, ProfileStatus.UNDER_REVIEW)


class ProfileKind(models.TextChoices):
    """Why a version was started: it decides which answers the partner may change."""

    FIRST = "first", _("First profile")
    CORRECTION = "correction", _("Answers to returned criteria")
    ANNUAL_REVIEW = "annual_review", _("Annual review")
    UPDATE = "update", _("Update")


class Implemented(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class AnswerReview(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    NEEDS_INFO = "needs_info", _("Needs more information")


# The texts of the partner agreement the company officer may sign, newest first. The project
# keeps the version's name, not the text (DOMAIN.md gives none): the signature records which.
AGREEMENT_VERSIONS = [
    ("2020-03", _("CTPAT Partner Agreement, March 2020")),
    ("2016-01", _("CTPAT Partner Agreement, January 2016")),
]
