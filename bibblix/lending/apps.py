from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "bibblix.lending"
    verbose_name = _("Lending")

    def ready(self) -> None:
        from bibblix.lib import page_cache

        # Loan policies show on book pages and feeds (loan period, copies): cached pages go stale.
        page_cache.watch("lending.loanpolicy")
        # A child's loans, holds, favourites and reading positions: their own cached pages.
        page_cache.watch_personal("lending")

        from bibblix.patrons.services import patron_data_requested

        from .data_export import patron_sections

        patron_data_requested.connect(patron_sections, dispatch_uid="lending-data-export")
