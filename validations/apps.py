from django.apps import AppConfig


class ValidationsConfig(AppConfig):
    name = "validations"
    verbose_name = "Validations"

    def ready(self):
        from ctpat.registry import registry

        from . import deadlines, demo, partner_links, timeline

        registry.register_all("deadline_kinds", deadlines.KINDS)
        registry.register_all("consequence_actions", deadlines.CONSEQUENCES)
        registry.register_all("partner_links", partner_links.LINKS)
        registry.register_all("timeline_sources", timeline.SOURCES)
        registry.register_all("demo_data", [demo.load])
