from ctpat.partner_links import PartnerLink

# Registered by the app's AppConfig.ready().
LINKS = [
    PartnerLink("Extension requests", "deadlines:extensions", by_query=True),
]
