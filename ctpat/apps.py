from django.apps import AppConfig


class CtpatConfig(AppConfig):
    name = "ctpat"
    verbose_name = "CTPAT"

    def ready(self):
        # Connects the signals that clear the rules cache when a rule is saved or deleted.
        from . import program_rules  # noqa: F401
