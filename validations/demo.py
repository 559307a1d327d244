"""Demo validations, so the Validations pages show work at every stage after `make run`.

Two are under way (documents requested; in progress). Two more went the whole way, both in
Buffalo so the supervisor's and the specialist's home pages lead to them:
- Acme Imports' revalidation, approved at Tier 2: its PDF report is rendered here (a real
  report from the same renderer as in production, not a placeholder) and its required
  actions are open for the partner to answer;
- Maple Leaf Trading's revalidation, approved as failed: the suspension it proposes waits
  in the supervisors' consequence queue.

The catalogue is loaded first: it must be there even in a database a test emptied.
"""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from accounts.models import User
from partners.models import Partner

from . import catalogue, services
from .choices import Level, RequestStatus, Result
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
    (
        "Acme Imports Inc.",
        "revalidation",
        "on_site",
        "supervisor@cbp.example",
        "specialist@cbp.example",
        "approved",
    ),
    (
        "Maple Leaf Trading Ltd.",
        "revalidation",
        "on_site",
        "supervisor@cbp.example",
        "specialist@cbp.example",
        "failed",
    ),
]
# What the team found short on the visit, for the validations that went the whole way.
SHORTFALLS = [
    "Trailer seals are applied at loading but nobody verifies them; the seal log has gaps.",
    "The yard gate is unstaffed at night and the camera covering it was not recording.",
    "Background checks of new drivers are not repeated when their licence is renewed.",
]


def load() -> list[str]:
    catalogue.load(apps.get_model)
    today = timezone.localdate()
    for name, kind, mode, supervisor_email, lead_email, stage in DEMO:
        partner = Partner.objects.filter(legal_name=name).first()
        if partner is None or Validation.objects.filter(enrollment__partner=partner).exists():
            continue
        lead = User.objects.get(email=lead_email)
        supervisor = User.objects.get(email=supervisor_email)
        finished = stage in ("approved", "failed")
        # A finished validation's visit was last month; one under way is planned ahead.
        start = today - timedelta(days=30) if finished else today + timedelta(days=21)
        validation = services.validation_plan(
            actor=supervisor,
            enrollment=partner.enrollments.get(program="security"),
            kind=kind,
            mode=mode,
            lead=lead,
            planned_start=start,
            planned_end=start + timedelta(days=2),
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
        elif finished:
            _finish(validation, lead=lead, supervisor=supervisor, failed=stage == "failed")
    return []


def _finish(validation: Validation, *, lead: User, supervisor: User, failed: bool) -> None:
    """Take a validation through the visit, the findings and the supervisor's approval."""
    for request in validation.document_requests.filter(status=RequestStatus.REQUESTED):
        services.document_request_withdraw(
            request=request, actor=lead, reason="Reviewed on site during the visit."
        )
    services.validation_start(validation=validation, actor=lead, comment="Opening meeting held")
    findings = list(validation.findings.select_related("criterion_version"))
    musts = [f for f in findings if f.criterion_version.level == Level.MUST]
    short = {
        f.pk: (Result.REQUIRED_ACTION, text) for f, text in zip(musts[:3], SHORTFALLS, strict=True)
    }
    services.findings_record(
        validation=validation,
        actor=lead,
        results={f.pk: short.get(f.pk, (Result.MEETS, "")) for f in findings},
    )
    services.validation_draft(validation=validation, actor=lead)
    services.validation_submit(validation=validation, actor=lead, comment="Report ready")
    report = services.validation_approve(
        validation=validation,
        actor=supervisor,
        tier=None if failed else 2,
        comment="Seals, gate and vetting fall short of the minimum security criteria."
        if failed
        else "Measures in place; three findings need corrective action.",
    )
    # Rendered now, not only when the load's transaction commits, so the report is ready
    # wherever the demo is loaded (a test's transaction never commits).
    services.report_render(report_id=report.pk)
