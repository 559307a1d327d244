from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Deadlines"

    def ready(self):
        from ctpat.registry import registry

        from . import demo, partner_links, selectors, services, timeline

        # Granted extensions move deadlines wherever the registry is read.
        registry.register("deadline_extensions", selectors.EXTENSIONS)
        # Decisions of lower apps (a failed validation) propose consequences through it.
        registry.register("consequence_proposals", services.QUEUE)
        registry.register_all("partner_links", partner_links.LINKS)
        registry.register_all("timeline_sources", timeline.SOURCES)
        registry.register("demo_data", demo.load)
