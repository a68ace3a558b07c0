from django.apps import AppConfig


class MotivationConfig(AppConfig):
    name = "bibblix.motivation"

    def ready(self) -> None:
        from bibblix.lending.services import reading_recorded

        from .services import record_reading

        reading_recorded.connect(record_reading, dispatch_uid="motivation.record_reading")
