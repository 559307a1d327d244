from accounts.choices import Role
from ctpat.partner_links import PartnerLink, register

register(PartnerLink("Forced labor", "forced_labor:partner", frozenset(Role)))
