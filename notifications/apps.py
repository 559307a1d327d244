from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from celery.signals import task_failure

        from ctpat.registry import registry

        from . import decisions, demo, partner_links, signals, timeline

        registry.register("deadline_extensions", decisions.EXTENSIONS)
        registry.register_all("partner_links", partner_links.LINKS)
        registry.register_all("timeline_sources", timeline.SOURCES)
        registry.register("demo_data", demo.load)
        task_failure.connect(signals.record_failed_email, weak=False)
