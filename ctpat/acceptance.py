"""What else must hold before Trade Compliance is accepted, or a Security application is
certified, from apps built on partners.

partners.services.enrollment_accept asks `problems(partner)`; an app adds its rule as an
"acceptance_checks" contribution in its AppConfig.ready() (forced-labor documentation does),
so partners never imports it. Certification asks `certification_problems(enrollment)`, from
"certification_checks" (the Security Profile must be accepted).
"""

from .registry import registry


def problems(partner) -> list[str]:
    return [message for check in registry["acceptance_checks"] for message in check(partner)]


def certification_problems(enrollment) -> list[str]:
    return [message for check in registry["certification_checks"] for message in check(enrollment)]
