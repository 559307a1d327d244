from django.db import models
from django.utils.translation import gettext_lazy as _


class Handling(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded to CBP"
    ON_REQUEST = "on_request", "Kept by the partner for CBP to request"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"
    SUPERSEDED = "superseded", "Superseded"


# Each status as it reads after "This submission is ..." (and "was already ... by").
SUBMISSION_STATE = {
    SubmissionStatus.SUBMITTED: _("submitted and awaiting review"),
    SubmissionStatus.ACCEPTED: _("accepted"),
    SubmissionStatus.RETURNED: _("returned"),
    SubmissionStatus.SUPERSEDED: _("superseded by a newer version"),
}

S = SubmissionStatus
# A submission is decided once; a new version supersedes what came before it.
TRANSITIONS = {
    S.SUBMITTED: {S.ACCEPTED, S.RETURNED, S.SUPERSEDED},
    S.RETURNED: {S.SUPERSEDED},
    S.ACCEPTED: {S.SUPERSEDED},
    S.SUPERSEDED: set(),
}
del S


def moving_to(status: SubmissionStatus) -> frozenset[SubmissionStatus]:
    """The statuses TRANSITIONS allows `status` from: the services' compare-and-swap guard."""
    return frozenset(source for source, targets in TRANSITIONS.items() if status in targets)


# Waiting for CBP's decision: the review queue.
WAITING = moving_to(SubmissionStatus.ACCEPTED)


class RequirementState(models.TextChoices):
    """What the partner's page says of one requirement."""

    MISSING = "missing", "Missing"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"
    ON_REQUEST = "on_request", "Kept on request"


class OverallState(models.TextChoices):
    COMPLETE = "complete", "Complete"
    INCOMPLETE = "incomplete", "Incomplete"
    OVERDUE = "overdue", "Overdue"
