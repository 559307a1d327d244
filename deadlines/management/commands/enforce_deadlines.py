from datetime import date

from django.core.management.base import BaseCommand

from deadlines.sweep import run_sweep


class Command(BaseCommand):
    help = (
        "Run the deadline sweep once: reminders, overdue notices and escalations, each sent "
        "once. For cron, or the embedded setup without a Celery beat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Sweep as of this date.")

    def handle(self, *args, **options):
        stats = run_sweep(options.get("today"))
        self.stdout.write(
            f"{stats['items']} open deadlines due within 30 days or overdue; "
            f"{stats['sent']} notices sent ({stats['candidates'] - stats['sent']} already sent)."
        )
