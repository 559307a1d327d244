"""The Celery application, configured from Django settings (the CELERY_ namespace).

Workers and beat run with `celery -A ctpat worker` and `celery -A ctpat beat`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctpat.settings")

app = Celery("ctpat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
