from django.apps import AppConfig


class CtpatConfig(AppConfig):
    name = "ctpat"
    verbose_name = "CTPAT"
