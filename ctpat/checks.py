"""Deployment checks of ctpat's own settings (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def upload_scanner_configured(app_configs, **kwargs):
    """In production every upload must be scanned: without a scanner, files are kept as
    "not scanned" and can be downloaded (the README's `make run` accepts that; production
    must not)."""
    if settings.CLAMD_SOCKET or settings.CLAMD_TCP:
        return []
    return [
        Warning(
            "No virus scanner is configured: uploads would be served unscanned.",
            hint="Set CLAMD_SOCKET or CLAMD_TCP to a clamd (docker-compose runs one).",
            id="ctpat.W001",
        )
    ]
