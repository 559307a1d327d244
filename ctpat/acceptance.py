"""What else must hold before Trade Compliance is accepted, from apps built on partners.

partners.services.enrollment_accept asks `problems(partner)`; an app adds its rule as an
"acceptance_checks" contribution in its AppConfig.ready() (forced-labor documentation does),
so partners never imports it.
"""

from .registry import registry


def problems(partner) -> list[str]:
    return [message for check in registry["acceptance_checks"] for message in check(partner)]
