from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "bibblix.lending"
