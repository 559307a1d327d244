from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and access"

    def ready(self):
        from ctpat.registry import registry

        from . import demo, signals  # noqa: F401  (connects the sign-in receivers)

        registry.register_all("demo_data", [demo.load])
