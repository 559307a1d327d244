from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from celery.signals import task_failure

        from . import signals

        task_failure.connect(signals.record_failed_email, weak=False)
