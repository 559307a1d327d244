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
    start = date.today() + timedelta(days=10)
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


@pytest.fixture
def in_review(people, planned):
    s, v = people["specialist"], planned
    services.validation_request_documents(validation=v, actor=s)
    services.validation_start(validation=v, actor=s)
    record_all(v, s)
    first = v.findings.first()
    services.findings_record(
        validation=v, actor=s, results={first.pk: ("required_action", "Seal log incomplete")}
    )
    services.validation_draft(validation=v, actor=s)
    services.validation_submit(validation=v, actor=s)
    return v
