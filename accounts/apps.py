from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and access"

    def ready(self):
        from ctpat.registry import registry

        from . import audit_receivers, demo, signals  # noqa: F401  (signals connects the sign-in receivers)

        registry.register_all("demo_data", [demo.load])
        # Saves of the records of every app, this one's and those above it, go to the
        # audit log; the models are found by label, so accounts imports none of those apps.
        audit_receivers.connect()
