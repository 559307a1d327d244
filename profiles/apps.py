from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Security Profiles"

    def ready(self):
        from ctpat.registry import registry

        from . import acceptance, deadlines, demo, partner_links, services, timeline, views

        registry.register_all("deadline_kinds", deadlines.KINDS)
        registry.register_all("partner_links", partner_links.LINKS)
        registry.register_all("timeline_sources", timeline.SOURCES)
        registry.register_all("certification_checks", acceptance.CHECKS)
        registry.register_all("required_action_closed", [services.ask_to_update_answers])
        registry.register_all("annual_review_page", [views.annual_review_url])
        registry.register_all("demo_before_certify", [demo.accepted_profile])
        registry.register_all("demo_data", [demo.load])
