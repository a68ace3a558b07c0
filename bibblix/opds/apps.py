from django.apps import AppConfig


class OpdsConfig(AppConfig):
    name = "bibblix.opds"
    verbose_name = "OPDS"
