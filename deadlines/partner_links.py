from accounts.choices import Role
from ctpat.partner_links import PartnerLink

# Registered by the app's AppConfig.ready().
LINKS = [
    PartnerLink("Extension requests", "deadlines:extensions", frozenset(Role), by_query=True),
]
