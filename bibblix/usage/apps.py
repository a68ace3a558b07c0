from django.apps import AppConfig


class UsageConfig(AppConfig):
    name = "bibblix.usage"
