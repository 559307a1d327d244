"""Validations' vocabulary: criteria levels, the validation workflow, findings, actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.models import ReportStatus as _ReportStatus


class Level(models.TextChoices):
    MUST = "must", "Must"
    SHOULD = "should", "Should"


class SourceKind(models.TextChoices):
    """Where a criterion comes from (CriterionSource)."""

    BOOKLET = "booklet", _("CBP booklet")
    PROJECT_READING = "project_reading", _("Project's reading")


class Kind(models.TextChoices):
    INITIAL = "initial", "Initial validation"
    REVALIDATION = "revalidation", "Revalidation"
    FOR_CAUSE = "for_cause", "For cause"


class Mode(models.TextChoices):
    ON_SITE = "on_site", "On site"
    VIRTUAL = "virtual", "Virtual"


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    DOCUMENTS_REQUESTED = "documents_requested", "Documents requested"
    IN_PROGRESS = "in_progress", "In progress"
    REPORT_DRAFTING = "report_drafting", "Report drafting"
    SUPERVISOR_REVIEW = "supervisor_review", "Supervisor review"
    APPROVED = "approved", "Approved (report issued)"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


# Each status as it reads after "The validation is ...": the labels name a stage in a list
# ("Documents requested"), which in a sentence does not read ("The validation is documents
# requested.").
VALIDATION_STATE = {
    Status.PLANNED: _("planned"),
    Status.DOCUMENTS_REQUESTED: _("waiting for documents from the partner"),
    Status.IN_PROGRESS: _("in progress"),
    Status.REPORT_DRAFTING: _("at the report-drafting stage"),
    Status.SUPERVISOR_REVIEW: _("awaiting a supervisor's review"),
    Status.APPROVED: _("approved, with its report issued"),
    Status.CLOSED: _("closed"),
    Status.CANCELLED: _("cancelled"),
}

S = Status
# The whole validation workflow: from each status, the statuses it may move to.
TRANSITIONS = {
    S.PLANNED: {S.DOCUMENTS_REQUESTED, S.IN_PROGRESS, S.CANCELLED},
    S.DOCUMENTS_REQUESTED: {S.IN_PROGRESS, S.CANCELLED},
    S.IN_PROGRESS: {S.REPORT_DRAFTING, S.CANCELLED},
    S.REPORT_DRAFTING: {S.SUPERVISOR_REVIEW, S.CANCELLED},
    S.SUPERVISOR_REVIEW: {S.APPROVED, S.REPORT_DRAFTING, S.CANCELLED},
    S.APPROVED: {S.CLOSED},
    S.CLOSED: set(),
    S.CANCELLED: set(),
}
OPEN = frozenset(set(Status) - {S.APPROVED, S.CLOSED, S.CANCELLED})
del S


class Move(models.TextChoices):
    REQUEST_DOCUMENTS = "request_documents", "Send the document requests"
    START = "start", "Start the validation"
    DRAFT = "draft", "Start drafting the report"
    SUBMIT = "submit", "Submit for supervisor review"
    RETURN = "return", "Return to drafting"
    APPROVE = "approve", "Approve and issue the report"
    CLOSE = "close", "Close"
    CANCEL = "cancel", "Cancel the validation"


MOVE_TARGETS = {
    Move.REQUEST_DOCUMENTS: Status.DOCUMENTS_REQUESTED,
    Move.START: Status.IN_PROGRESS,
    Move.DRAFT: Status.REPORT_DRAFTING,
    Move.SUBMIT: Status.SUPERVISOR_REVIEW,
    Move.RETURN: Status.REPORT_DRAFTING,
    Move.APPROVE: Status.APPROVED,
    Move.CLOSE: Status.CLOSED,
    Move.CANCEL: Status.CANCELLED,
}


class Relation(models.TextChoices):
    """How a person stands to one validation; MOVE_ACTORS and permissions.py read these."""

    LEAD = "lead", "Lead specialist"
    MEMBER = "member", "Team member"
    APPROVER = "approver", "Approving supervisor"
    ADMINISTRATOR = "administrator", "Administrator"


R = Relation
# The team (lead and members) does the work; the approving supervisor decides it (returns,
# approves, cancels) and may close it with the team once approved. Administrators may make
# every move. Planning is a supervisor's (permissions.can_plan_validation).
TEAM = frozenset({R.LEAD, R.MEMBER, R.ADMINISTRATOR})
APPROVER = frozenset({R.APPROVER, R.ADMINISTRATOR})
MOVE_ACTORS = {
    Move.REQUEST_DOCUMENTS: TEAM,
    Move.START: TEAM,
    Move.DRAFT: TEAM,
    Move.SUBMIT: TEAM,
    Move.RETURN: APPROVER,
    Move.APPROVE: APPROVER,
    Move.CANCEL: APPROVER,
    Move.CLOSE: TEAM | APPROVER,
}
# Who may issue a new version of the report, or retry a failed render.
REPORT_ACTORS = TEAM | APPROVER
del R


class Result(models.TextChoices):
    MEETS = "meets", "Meets"
    REQUIRED_ACTION = "required_action", "Required action"
    RECOMMENDATION = "recommendation", "Recommendation"
    BEST_PRACTICE = "best_practice", "Best practice"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# The results a criterion's level allows (DOMAIN.md): an unmet Must is a required action, an
# unmet Should a recommendation; a met criterion may note a best practice; any criterion may
# be not applicable, with the reason in the narrative.
RESULTS_BY_LEVEL = {
    Level.MUST: (
        Result.MEETS,
        Result.BEST_PRACTICE,
        Result.REQUIRED_ACTION,
        Result.NOT_APPLICABLE,
    ),
    Level.SHOULD: (
        Result.MEETS,
        Result.BEST_PRACTICE,
        Result.RECOMMENDATION,
        Result.NOT_APPLICABLE,
    ),
}
# Results that need the narrative: what was found, or why the criterion does not apply.
NEEDS_NARRATIVE = frozenset(
    {Result.REQUIRED_ACTION, Result.RECOMMENDATION, Result.BEST_PRACTICE, Result.NOT_APPLICABLE}
)


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESPONSE_SUBMITTED = "response_submitted", "Response submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"


# Each status as it reads after "This required action is ...".
ACTION_STATE = {
    ActionStatus.OPEN: _("open, waiting for the partner's answer"),
    ActionStatus.RESPONSE_SUBMITTED: _("answered and awaiting CBP's decision"),
    ActionStatus.ACCEPTED: _("accepted"),
    ActionStatus.RETURNED: _("returned to the partner for more"),
}
# What reaching each status does to the action, after "it cannot be ...".
ACTION_DONE = {
    ActionStatus.RESPONSE_SUBMITTED: _("answered"),
    ActionStatus.ACCEPTED: _("accepted"),
    ActionStatus.RETURNED: _("returned"),
}

A = ActionStatus
ACTION_TRANSITIONS = {
    A.OPEN: {A.RESPONSE_SUBMITTED},
    A.RETURNED: {A.RESPONSE_SUBMITTED},
    A.RESPONSE_SUBMITTED: {A.ACCEPTED, A.RETURNED},
    A.ACCEPTED: set(),
}
del A


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "Not sent yet"
    REQUESTED = "requested", "Requested"
    UPLOADED = "uploaded", "Uploaded"
    ON_FILE = "on_file", "Satisfied by a document on file"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Each status as it reads after "This document request is ...".
REQUEST_STATE = {
    RequestStatus.DRAFT: _("not sent yet"),
    RequestStatus.REQUESTED: _("waiting for the partner"),
    RequestStatus.UPLOADED: _("answered with an upload"),
    RequestStatus.ON_FILE: _("satisfied by a document on file"),
    RequestStatus.WITHDRAWN: _("withdrawn"),
}

# A request still waiting for the partner; approval waits until none is (answered by an
# upload, satisfied from file, or withdrawn with a reason).
REQUESTS_WAITING = frozenset({RequestStatus.DRAFT, RequestStatus.REQUESTED})


# Shared by every app's issued reports (ctpat.models.RenderedReport).
ReportStatus = _ReportStatus
