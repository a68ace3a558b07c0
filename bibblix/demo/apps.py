from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Only the `load_demo_data` command: it asks each domain app to load its own demo data."""

    name = "bibblix.demo"
