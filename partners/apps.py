from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners and enrollment"

    def ready(self):
        from ctpat.registry import registry

        from . import deadlines, demo, partner_filters, selectors

        registry.register_all("deadline_kinds", deadlines.KINDS)
        registry.register_all("partner_conditions", partner_filters.CONDITIONS)
        registry.register("second_factor_required", selectors.second_factor_required)
        registry.register_all("demo_data", [demo.load])
