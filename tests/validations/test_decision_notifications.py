"""The notifications a validation's decisions settle: the supervisor's review request once
the report leaves review, the lead's "answered a required action" once it is decided."""

import pytest

from ctpat.errors import DomainError
from notifications.models import Notification
from validations import services
from validations.models import RequiredAction

pytestmark = pytest.mark.django_db


def review_request(validation):
    return Notification.objects.get(subject=services.review_subject(validation))


def test_the_review_request_is_done_when_the_report_is_returned(people, in_review):
    asked = review_request(in_review)
    assert asked.recipient == people["supervisor"] and asked.done_at is None
    assert "waits for your review" in asked.title

    services.validation_return(validation=in_review, actor=people["supervisor"], comment="More")

    asked.refresh_from_db()
    assert asked.done_at is not None and asked.done_by == people["supervisor"]
    # Submitted again, the new request waits.
    services.validation_submit(validation=in_review, actor=people["specialist"])
    assert (
        Notification.objects.filter(
            subject=services.review_subject(in_review), done_at__isnull=True
        ).count()
        == 1
    )


def test_the_review_request_is_done_when_the_report_is_approved(people, in_review):
    services.validation_approve(validation=in_review, actor=people["supervisor"], tier=2)
    assert review_request(in_review).done_by == people["supervisor"]


def test_the_review_request_is_done_when_the_validation_is_cancelled(people, in_review):
    services.validation_cancel(
        validation=in_review, actor=people["supervisor"], comment="Partner left the program"
    )
    assert review_request(in_review).done_at is not None


def test_a_refused_decision_leaves_the_review_request_waiting(people, in_review):
    with pytest.raises(DomainError):
        services.validation_return(validation=in_review, actor=people["specialist"], comment="x")
    assert review_request(in_review).done_at is None


def test_a_response_decided_marks_done_the_leads_notification(people, in_review):
    services.validation_approve(validation=in_review, actor=people["supervisor"], tier=2)
    action = RequiredAction.objects.get(finding__validation=in_review)
    services.required_action_respond(
        action=action, actor=people["partner_user"], response="Seal log now kept daily"
    )
    [asked] = Notification.objects.filter(subject=services.response_subject(action))
    assert asked.recipient == people["specialist"] and asked.done_at is None

    services.required_action_decide(
        action=action, actor=people["specialist"], accept=False, comment="Send a sample page"
    )

    asked.refresh_from_db()
    assert asked.done_at is not None and asked.done_by == people["specialist"]
