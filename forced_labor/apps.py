from django.apps import AppConfig


class ForcedLaborConfig(AppConfig):
    name = "forced_labor"
    verbose_name = "Forced-labor documentation"
