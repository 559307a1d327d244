from datetime import date, timedelta

import pytest

from tests.factories import EnrollmentFactory, MembershipFactory, PartnerFactory, UserFactory
from validations import services


@pytest.fixture
def people():
    """A field office's supervisor and specialist, and a partner user of a certified partner."""
    supervisor = UserFactory(supervisor=True, full_name="Sam Supervisor")
    specialist = UserFactory(specialist=True, field_office=supervisor.field_office)
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = EnrollmentFactory(partner=partner, certified=True)
    partner_user = MembershipFactory(partner=partner, officer=True).user
    return {
        "supervisor": supervisor,
        "specialist": specialist,
        "partner": partner,
        "enrollment": enrollment,
        "partner_user": partner_user,
    }


@pytest.fixture
def planned(people):
    # The visit begins today: approval waits for the planned start (ready_for_approval).
    start = date.today()
    return services.validation_plan(
        actor=people["supervisor"],
        enrollment=people["enrollment"],
        kind="initial",
        mode="on_site",
        lead=people["specialist"],
        planned_start=start,
        planned_end=start + timedelta(days=1),
        sites=list(people["partner"].sites.all()),
    )


def record_all(validation, actor, result="meets", narrative=""):
    results = {f.pk: (result, narrative) for f in validation.findings.all()}
    return services.findings_record(validation=validation, actor=actor, results=results)


def first_must(validation):
    return validation.findings.filter(criterion_version__level="must").first()


def first_should(validation):
    return validation.findings.filter(criterion_version__level="should").first()


def withdraw_open_requests(validation, actor):
    for request in validation.document_requests.filter(status__in=["draft", "requested"]):
        services.document_request_withdraw(
            request=request, actor=actor, reason="Seen on site instead."
        )


@pytest.fixture
def in_review(people, planned):
    return to_review(people, planned)


def to_review(people, v):
    """Send the requests (if not yet sent), record every finding (the first Must a required
    action), withdraw what the partner has not answered, draft and submit."""
    s = people["specialist"]
    if v.document_requests.filter(status="draft").exists():
        services.validation_request_documents(validation=v, actor=s)
    services.validation_start(validation=v, actor=s)
    record_all(v, s)
    first = first_must(v)
    services.findings_record(
        validation=v, actor=s, results={first.pk: ("required_action", "Seal log incomplete")}
    )
    withdraw_open_requests(v, s)
    services.validation_draft(validation=v, actor=s)
    services.validation_submit(validation=v, actor=s)
    return v
