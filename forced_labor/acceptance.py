"""Trade Compliance is not accepted while a required upload is not accepted."""

from .selectors import missing_for_acceptance


def forced_labor_documentation(partner):
    missing = missing_for_acceptance(partner)
    if missing:
        yield "Forced-labor documentation is not accepted yet: " + ", ".join(missing) + "."


# Registered by ForcedLaborConfig.ready().
CHECKS = [forced_labor_documentation]
