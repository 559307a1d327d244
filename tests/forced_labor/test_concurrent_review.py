"""Two reviewers deciding the same submission at the same moment: one decision wins."""

import threading
from datetime import date

import pytest
from django.db import connection

from ctpat.errors import DomainError
from forced_labor import services
from forced_labor.models import Submission
from tests.factories import UserFactory
from tests.forced_labor.conftest import pdf

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_reviewers_at_once_one_decision_is_recorded_the_other_is_told(
    postgresql, catalogue, tc
):
    submission = services.submission_create(
        actor=tc["officer"],
        partner=tc["partner"],
        requirement=tc["evidence"],
        title="x",
        effective_on=date.today(),
        files=[pdf()],
    )
    second = UserFactory(specialist=True, field_office=tc["partner"].field_office)
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(name, reviewer, accept):
        try:
            barrier.wait(timeout=10)
            services.submission_review(
                actor=reviewer,
                submission=Submission.objects.get(pk=submission.pk),
                accept=accept,
                reason="" if accept else "Missing signatures",
            )
            outcomes[name] = "recorded"
        except DomainError as error:
            outcomes[name] = error.message
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("first", tc["specialist"], True)),
        threading.Thread(target=decide, args=("second", second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values())[-1] == "recorded"
    assert list(outcomes.values()).count("recorded") == 1
    refused = next(v for v in outcomes.values() if v != "recorded")
    assert "was already" in refused and "your decision was not recorded" in refused
    submission.refresh_from_db()
    winner = tc["specialist"] if outcomes["first"] == "recorded" else second
    assert submission.reviewer == winner
    assert submission.status == ("accepted" if winner == tc["specialist"] else "returned")
