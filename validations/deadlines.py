"""Deadlines the validations app owes the registry: document requests and required actions."""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from ctpat.deadlines import (
    ConsequenceAction,
    Deadline,
    DeadlineKind,
    DueItem,
    NextStep,
    OwedBy,
    ProposedItem,
    deadline_key,
    for_partners,
    path_maker,
)
from ctpat.errors import DomainError
from partners import services as partner_services
from partners.choices import Program, SuspensionCause
from partners.deadlines import flag_overdue
from partners.models import Enrollment

from .choices import ActionStatus, RequestStatus
from .models import DocumentRequest, RequiredAction


def _document_requests(partner, *, document_requests=None, **_):
    """`document_requests`: the partner's open requests, when the caller loaded them."""
    if document_requests is None:
        document_requests = DocumentRequest.objects.filter(
            validation__enrollment__partner=partner, status=RequestStatus.REQUESTED
        ).only("name", "due_on")
    for request in document_requests:
        yield Deadline(
            "document_request",
            f"Document requested: {request.name}",
            request.due_on,
            OwedBy.PARTNER,
            key=deadline_key("document_request", request.pk, request.due_on),
        )


def _required_actions(partner, *, required_actions=None, **_):
    """`required_actions`: the partner's open actions with their criteria, when loaded."""
    if required_actions is None:
        required_actions = RequiredAction.objects.filter(
            finding__validation__enrollment__partner=partner,
            status__in=[ActionStatus.OPEN, ActionStatus.RETURNED],
        ).select_related("finding__criterion_version__criterion")
    for action in required_actions:
        code = action.finding.criterion_version.criterion.code
        yield Deadline(
            "required_action",
            f"Required action on criterion {code}",
            action.due_on,
            OwedBy.PARTNER,
            key=deadline_key("required_action", action.pk, action.due_on),
        )


def _flag_required_action(*, actor, partner_id: int, reason: str, item: ProposedItem, **_):
    """Confirmed (while the action is still open and overdue, as the deadlines app checks):
    the partner's users are told CBP flagged it (the partners service); it is followed up on
    the validation page."""
    return flag_overdue(
        actor=actor,
        partner_id=partner_id,
        reason=reason,
        item=item,
        then=gettext("Follow it up on the validation page, where the partner answers it."),
    )


FLAG_REQUIRED_ACTION = ConsequenceAction(
    "flag_required_action",
    gettext_lazy("Required action overdue: flag it to the partner"),
    gettext_lazy("Confirm tells the partner's users that CBP has flagged the overdue action."),
    program=Program.SECURITY,
    confirm=_flag_required_action,
)


def _due(queryset, partner_ids, kind, label, partner_path):
    fields = {
        "partner_id": f"{partner_path}_id",
        "specialist_id": f"{partner_path}__specialist_id",
        "office_id": f"{partner_path}__field_office_id",
        "partner_name": f"{partner_path}__legal_name",
    }
    extra = (
        ("validation_id", "name")
        if kind == "document_request"
        else ("finding__validation_id", "finding__criterion_version__criterion__code")
    )
    validation_path = path_maker("validations:detail")
    queryset = for_partners(queryset, partner_ids, f"{partner_path}_id")
    for row in queryset.values("pk", "due_on", *extra, **{k: F(v) for k, v in fields.items()}):
        validation_id = row.get("validation_id") or row.get("finding__validation_id")
        yield DueItem(
            key=deadline_key(kind, row["pk"], row["due_on"]),
            partner_id=row["partner_id"],
            due_on=row["due_on"],
            label=label.format(**row),
            url=validation_path(validation_id),
            owed_by=OwedBy.PARTNER,
            specialist_id=row["specialist_id"],
            field_office_id=row["office_id"],
            partner_name=row["partner_name"],
            consequences=(FLAG_REQUIRED_ACTION,) if kind == "required_action" else (),
        )


def _document_request_items(until, partner_ids=None):
    requests = DocumentRequest.objects.filter(status=RequestStatus.REQUESTED, due_on__lte=until)
    return _due(
        requests,
        partner_ids,
        "document_request",
        "Requested document “{name}”",
        "validation__enrollment__partner",
    )


def _required_action_items(until, partner_ids=None):
    actions = RequiredAction.objects.filter(
        status__in=[ActionStatus.OPEN, ActionStatus.RETURNED], due_on__lte=until
    )
    return _due(
        actions,
        partner_ids,
        "required_action",
        "Required action on criterion {finding__criterion_version__criterion__code}",
        "finding__validation__enrollment__partner",
    )


# Registered by the app's AppConfig.ready().
KINDS = [
    DeadlineKind(
        "document_request",
        "Validation document requests",
        OwedBy.PARTNER,
        _document_requests,
        due_items=_document_request_items,
        program=Program.SECURITY,
    ),
    DeadlineKind(
        "required_action",
        "Required actions",
        OwedBy.PARTNER,
        _required_actions,
        due_items=_required_action_items,
        program=Program.SECURITY,
        consequences=(FLAG_REQUIRED_ACTION,),
    ),
]


# --- What a failed validation proposes --------------------------------------------------


def _suspend_security(*, actor, partner_id: int, reason: str, **_) -> NextStep:
    """Confirmed: the Security enrollment is suspended through the partners service, for the
    cause "failed validation"."""
    security = (
        Enrollment.objects.select_for_update()
        .filter(partner_id=partner_id, program=Program.SECURITY)
        .first()
    )
    if security is None:
        raise DomainError(gettext("The partner has no Security enrollment to suspend."))
    partner_services.enrollment_suspend(
        enrollment=security,
        actor=actor,
        reason=reason,
        cause=SuspensionCause.FAILED_VALIDATION,
    )
    return NextStep(
        gettext(
            "Security is suspended as of today (cause: failed validation) and the partner's "
            "users were told; reinstatement or removal is decided on the partner page."
        ),
        reverse("partners:detail", args=[partner_id]),
        gettext("Open the partner page"),
    )


SUSPEND_SECURITY = ConsequenceAction(
    "suspend_security_failed_validation",
    "Suspend Security (cause: failed validation)",
    "Confirm suspends the Security enrollment as of today, cause “failed validation”.",
    program=Program.SECURITY,
    confirm=_suspend_security,
)

# Registered as "consequence_actions": proposed by validation_approve, not by the sweep.
CONSEQUENCES = [SUSPEND_SECURITY]
