from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CtpatConfig(AppConfig):
    default = True  # "ctpat" in INSTALLED_APPS means this one, not the admin's below
    name = "ctpat"
    verbose_name = "CTPAT"

    def ready(self):
        # Connects the signals that clear the rules cache when a rule is saved or deleted.
        from . import checks, program_rules  # noqa: F401  (checks registers the deploy checks)


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the project's site (ctpat.admin_site)."""

    default = False
    default_site = "ctpat.admin_site.AdminSite"
