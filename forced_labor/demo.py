"""Demo forced-labor documentation, and the Trade Compliance acceptances that wait for it.

The requirements are loaded first (they must be there even in a database a test emptied).
Then, for the demo's accepted Trade Compliance partners, the officer uploads the documents,
the specialist accepts them and the supervisor accepts Trade Compliance, through the same
services the pages use. Maple Leaf is left half-way: one document returned, one waiting.
"""

import io
from datetime import timedelta

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from partners import services as partner_services
from partners.models import Partner

from . import catalogue, services
from .models import Requirement, Submission
from .selectors import requirements_in_force


def minimal_pdf() -> bytes:
    """A real one-page PDF: uploads parse every PDF, and refuse one that does not parse."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# partner, submitter, reviewer, supervisor, what happens to Trade Compliance
ACCEPTED = [
    (
        "Acme Imports Inc.",
        "officer@acme-imports.example",
        "specialist@cbp.example",
        "supervisor@cbp.example",
        "accepted",
    ),
    (
        "Pacific Gateway Imports",
        "officer@pacificgateway.example",
        "specialist.lb@cbp.example",
        "supervisor.lb@cbp.example",
        "suspended",
    ),
]


def _submit(partner, user, requirement, title):
    return services.submission_create(
        actor=user,
        partner=partner,
        requirement=requirement,
        title=title,
        effective_on=timezone.localdate() - timedelta(days=120),
        files=[
            SimpleUploadedFile(f"{requirement.name.lower().replace(' ', '-')}.pdf", minimal_pdf())
        ],
        public_url="https://www.example.com/code-of-conduct" if requirement.asks_public_url else "",
    )


def load() -> list[str]:
    catalogue.load(apps.get_model)
    uploaded = [v.requirement for v in requirements_in_force() if v.handling == "uploaded"]
    today = timezone.localdate()
    for name, submitter, reviewer, supervisor, outcome in ACCEPTED:
        partner = Partner.objects.filter(legal_name=name).first()
        if partner is None or Submission.objects.filter(partner=partner).exists():
            continue
        user, staff = User.objects.get(email=submitter), User.objects.get(email=reviewer)
        for requirement in uploaded:
            submission = _submit(partner, user, requirement, f"{requirement.name} 2026")
            services.submission_review(actor=staff, submission=submission, accept=True)
        trade = partner.enrollments.get(program="trade_compliance")
        boss = User.objects.get(email=supervisor)
        partner_services.enrollment_accept(
            enrollment=trade,
            actor=boss,
            reason="Eligible; MOU signed; documentation accepted",
            on=today - timedelta(days=60),
        )
        if outcome == "suspended":
            partner_services.enrollment_suspend(
                enrollment=trade,
                actor=boss,
                reason="Forced-labor documentation found to be false",
                cause="false_information",
                letter_on=today - timedelta(days=30),
            )
    maple = Partner.objects.filter(legal_name="Maple Leaf Trading Ltd.").first()
    if maple is not None and not Submission.objects.filter(partner=maple).exists():
        user = User.objects.get(email="user@mapleleaf.example")
        code = Requirement.objects.get(number=2)
        returned = _submit(maple, user, code, "Supplier code of conduct")
        services.submission_review(
            actor=User.objects.get(email="specialist@cbp.example"),
            submission=returned,
            accept=False,
            reason="The code does not say how suppliers are checked; add the procedure.",
        )
        _submit(maple, user, Requirement.objects.get(number=3), "Training records 2026")
    return []
