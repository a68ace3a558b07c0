from django.apps import AppConfig


class MotivationConfig(AppConfig):
    name = "bibblix.motivation"

    def ready(self) -> None:
        from bibblix.lib import page_cache

        # A child's reading days, badges, challenges and ratings: their own cached pages; the
        # libraries' tips (in recommendations) and challenges show on a child's cached home page.
        page_cache.watch_personal("motivation")
        page_cache.watch(
            "motivation.librarytip", "motivation.challenge", "motivation.challenge_municipalities"
        )

        from bibblix.lending.services import reading_recorded

        from .services import record_reading

        reading_recorded.connect(record_reading, dispatch_uid="motivation.record_reading")
