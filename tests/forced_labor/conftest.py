import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forced_labor.models import Requirement
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    pdf_bytes,
)


@pytest.fixture
def tc():
    """A Trade Compliance applicant, its officer, and a specialist of its office."""
    specialist = UserFactory(specialist=True)
    partner = PartnerFactory(field_office=specialist.field_office, security={"validated": True})
    EnrollmentFactory(partner=partner, program="trade_compliance", status="under_review")
    return {
        "partner": partner,
        "officer": MembershipFactory(partner=partner, officer=True).user,
        "specialist": specialist,
        "code": Requirement.objects.get(number=2),
        "evidence": Requirement.objects.get(number=3),
    }


def pdf(name="document.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")
