from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load the demo data every app declares in its demo.py, in INSTALLED_APPS order. "
        "Safe to run again: existing rows are left as they are."
    )

    def handle(self, *args, **options):
        lines = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                if find_spec(f"{config.name}.demo") is None:
                    continue
                lines += import_module(f"{config.name}.demo").load() or []
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        for line in lines:
            self.stdout.write(line)
