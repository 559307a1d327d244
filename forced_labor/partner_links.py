from ctpat.partner_links import PartnerLink

# Registered by the app's AppConfig.ready().
LINKS = [
    PartnerLink("Forced labor", "forced_labor:partner"),
]
