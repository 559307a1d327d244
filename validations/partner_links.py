from accounts.choices import SUPERVISORS, Role
from ctpat.partner_links import PartnerLink

# Registered by the app's AppConfig.ready().
LINKS = [
    PartnerLink("Validations", "validations:list", frozenset(Role), by_query=True),
    PartnerLink("Plan a validation", "validations:plan", SUPERVISORS),
]
