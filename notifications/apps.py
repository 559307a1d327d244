from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from celery.signals import task_failure

        from ctpat import deadlines

        from . import decisions, signals

        # Granted extensions move deadlines wherever the registry is read.
        deadlines.set_extension_source(decisions.granted_extensions, decisions.running_extension)
        task_failure.connect(signals.record_failed_email, weak=False)
