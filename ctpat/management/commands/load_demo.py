from django.core.management.base import BaseCommand
from django.db import transaction

from ctpat.registry import registry


class Command(BaseCommand):
    help = (
        "Load the demo data every app registers (the 'demo_data' extension point), in "
        "INSTALLED_APPS order. Safe to run again: existing rows are left as they are."
    )

    def handle(self, *args, **options):
        lines = []
        with transaction.atomic():
            for load in registry["demo_data"]:
                lines += load() or []
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        for line in lines:
            self.stdout.write(line)
