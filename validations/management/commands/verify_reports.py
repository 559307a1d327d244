from django.core.management.base import BaseCommand

from ctpat.uploads import sha256_of
from validations.choices import ReportStatus
from validations.models import IssuedReport


class Command(BaseCommand):
    help = (
        "Recompute the SHA-256 of every stored validation report and list those that no "
        "longer match what was issued (or are missing). Exits 1 if any does not match."
    )

    def handle(self, *args, **options):
        checked, bad = 0, []
        reports = IssuedReport.objects.filter(status=ReportStatus.READY).select_related(
            "validation__enrollment__partner"
        )
        for report in reports.iterator(chunk_size=500):
            checked += 1
            try:
                actual = sha256_of(report.stored_name)
            except FileNotFoundError:
                actual = "missing"
            if actual != report.sha256:
                bad.append((report, actual))
        for report, actual in bad:
            self.stdout.write(
                f"MISMATCH report {report.pk} (v{report.version}, "
                f"{report.validation.enrollment.partner}): issued {report.sha256}, stored {actual}"
            )
        self.stdout.write(f"{checked} reports checked, {len(bad)} mismatched.")
        if bad:
            raise SystemExit(1)
