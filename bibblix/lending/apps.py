from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "bibblix.lending"

    def ready(self) -> None:
        from bibblix.lib import page_cache

        # Loan policies show on book pages and feeds (loan period, copies): cached pages go stale.
        page_cache.watch("lending.loanpolicy")
