from django.apps import AppConfig


class ForcedLaborConfig(AppConfig):
    name = "forced_labor"
    verbose_name = "Forced-labor documentation"

    def ready(self):
        from ctpat.registry import registry

        from . import acceptance, deadlines, demo, partner_filters, partner_links, timeline

        registry.register_all("deadline_kinds", deadlines.KINDS)
        registry.register_all("partner_conditions", partner_filters.CONDITIONS)
        registry.register_all("partner_links", partner_links.LINKS)
        registry.register_all("timeline_sources", timeline.SOURCES)
        registry.register_all("acceptance_checks", acceptance.CHECKS)
        registry.register_all("demo_data", [demo.load])
