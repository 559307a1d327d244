from django.utils.translation import gettext_lazy as _

from ctpat.partner_links import PartnerLink

# Registered by the app's AppConfig.ready().
LINKS = [PartnerLink(_("Security Profile"), "profiles:partner")]
