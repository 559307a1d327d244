"""Demo validations, so the Validations pages show work in progress after `make run`.

The catalogue is loaded first: it must be there even in a database a test emptied.
"""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from accounts.models import User
from partners.models import Partner

from . import catalogue, services
from .models import Validation

# partner, kind, mode, supervisor, lead, how far it has gone
DEMO = [
    (
        "Northern Freight Lines",
        "initial",
        "on_site",
        "supervisor@cbp.example",
        "specialist@cbp.example",
        "documents_requested",
    ),
    (
        "SkyBridge Air Cargo",
        "revalidation",
        "virtual",
        "supervisor.lb@cbp.example",
        "specialist.lb@cbp.example",
        "in_progress",
    ),
]


def load() -> list[str]:
    catalogue.load(apps.get_model)
    today = timezone.localdate()
    for name, kind, mode, supervisor_email, lead_email, stage in DEMO:
        partner = Partner.objects.filter(legal_name=name).first()
        if partner is None or Validation.objects.filter(enrollment__partner=partner).exists():
            continue
        lead = User.objects.get(email=lead_email)
        validation = services.validation_plan(
            actor=User.objects.get(email=supervisor_email),
            enrollment=partner.enrollments.get(program="security"),
            kind=kind,
            mode=mode,
            lead=lead,
            planned_start=today + timedelta(days=21),
            planned_end=today + timedelta(days=23),
            sites=list(partner.sites.all()),
        )
        services.validation_request_documents(validation=validation, actor=lead)
        if stage == "in_progress":
            services.validation_start(
                validation=validation, actor=lead, comment="Kick-off call held"
            )
            first_ten = validation.findings.all()[:10]
            services.findings_record(
                validation=validation, actor=lead, results={f.pk: ("meets", "") for f in first_ten}
            )
    return []
