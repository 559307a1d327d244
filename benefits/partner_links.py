from accounts.choices import Role
from ctpat.partner_links import PartnerLink, register

register(PartnerLink("Benefits", "benefits:partner", frozenset(Role)))
