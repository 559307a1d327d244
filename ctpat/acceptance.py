"""What else must hold before Trade Compliance is accepted, from apps built on partners.

partners.services.enrollment_accept asks `problems(partner)`; an app adds its rule in
its own `acceptance.py` with `register` (forced-labor documentation does), so partners
never imports it.
"""

from django.utils.module_loading import autodiscover_modules

_checks = []
_discovered = False


def register(check):
    _checks.append(check)
    return check


def problems(partner) -> list[str]:
    global _discovered
    if not _discovered:
        autodiscover_modules("acceptance")
        _discovered = True
    return [message for check in _checks for message in check(partner)]
