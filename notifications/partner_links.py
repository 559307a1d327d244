from accounts.choices import Role
from ctpat.partner_links import PartnerLink, register

register(
    PartnerLink("Extension requests", "notifications:extensions", frozenset(Role), by_query=True)
)
