from ctpat.partner_links import PartnerLink

# Registered by the app's AppConfig.ready().
LINKS = [
    PartnerLink("Benefits", "benefits:partner"),
]
