"""Demo deadlines in motion: one sweep as of today, and an extension request waiting."""

from datetime import timedelta

from accounts.models import User
from ctpat.deadlines import OwedBy, deadlines_for_partner
from partners.models import Partner

from .models import ExtensionRequest
from .sweep import run_sweep


def load() -> list[str]:
    stats = run_sweep()
    acme = Partner.objects.filter(legal_name="Acme Imports Inc.").first()
    officer = User.objects.filter(email="officer@acme-imports.example").first()
    if acme and officer and not ExtensionRequest.objects.filter(partner=acme).exists():
        owed = [
            d
            for d in deadlines_for_partner(acme, enrollments=list(acme.enrollments.all()))
            if d.owed_by == OwedBy.PARTNER
        ]
        if owed:
            deadline = owed[0]
            ExtensionRequest.objects.create(
                partner=acme,
                key=deadline.key,
                deadline_label=deadline.label,
                due_on=deadline.extended_from or deadline.due_on,
                requested_until=deadline.due_on + timedelta(days=45),
                reason="Our security manager is away for six weeks; the review needs her.",
                requested_by=officer,
            )
    return [f"Deadline sweep: {stats['sent']} notices sent for {stats['items']} open deadlines."]
