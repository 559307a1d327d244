"""Trade Compliance is not accepted while a required upload is not accepted."""

from ctpat.acceptance import register

from .selectors import missing_for_acceptance


@register
def forced_labor_documentation(partner):
    missing = missing_for_acceptance(partner)
    if missing:
        yield "Forced-labor documentation is not accepted yet: " + ", ".join(missing) + "."
