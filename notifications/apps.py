from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from celery.signals import task_failure

        from ctpat.signals import file_quarantined

        from . import signals

        task_failure.connect(signals.record_failed_email, weak=False)
        file_quarantined.connect(
            signals.tell_of_quarantined_file,
            weak=False,
            dispatch_uid="notifications.tell_of_quarantined_file",
        )
