from ctpat.partner_links import PartnerLink

from .permissions import can_plan_validation

# Registered by the app's AppConfig.ready().
LINKS = [
    PartnerLink("Validations", "validations:list", by_query=True),
    PartnerLink("Plan a validation", "validations:plan", can_plan_validation),
]
