"""Deadlines the validations app owes the registry: document requests and required actions."""

from ctpat.deadlines import Deadline, DeadlineKind, OwedBy, register

from .choices import ActionStatus, RequestStatus
from .models import DocumentRequest, RequiredAction


def _document_requests(partner, **_):
    requests = DocumentRequest.objects.filter(
        validation__enrollment__partner=partner, status=RequestStatus.REQUESTED
    ).only("name", "due_on")
    for request in requests:
        yield Deadline(
            "document_request",
            f"Document requested: {request.name}",
            request.due_on,
            OwedBy.PARTNER,
        )


def _required_actions(partner, **_):
    actions = RequiredAction.objects.filter(
        finding__validation__enrollment__partner=partner,
        status__in=[ActionStatus.OPEN, ActionStatus.RETURNED],
    ).select_related("finding__criterion_version__criterion")
    for action in actions:
        code = action.finding.criterion_version.criterion.code
        yield Deadline(
            "required_action", f"Required action on criterion {code}", action.due_on, OwedBy.PARTNER
        )


register(
    DeadlineKind(
        "document_request", "Validation document requests", OwedBy.PARTNER, _document_requests
    )
)
register(DeadlineKind("required_action", "Required actions", OwedBy.PARTNER, _required_actions))
