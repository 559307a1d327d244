from accounts.choices import SUPERVISORS, Role
from ctpat.partner_links import PartnerLink, register

register(PartnerLink("Validations", "validations:list", frozenset(Role), by_query=True))
register(PartnerLink("Plan a validation", "validations:plan", SUPERVISORS))
