from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = "Benefits"

    def ready(self):
        from ctpat.registry import registry

        from . import demo, partner_links, timeline

        registry.register_all("partner_links", partner_links.LINKS)
        registry.register_all("timeline_sources", timeline.SOURCES)
        registry.register_all("demo_data", [demo.load])
