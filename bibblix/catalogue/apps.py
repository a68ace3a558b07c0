from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(sender, using="default", **kwargs) -> None:
    # A later migration that remakes the book table on SQLite drops the FTS triggers with it.
    from django.db import connections

    from .search_index import create_search_index

    connection = connections[using]
    if "catalogue_book" in connection.introspection.table_names():
        create_search_index(connection)


class CatalogueConfig(AppConfig):
    name = "bibblix.catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from bibblix.lib import page_cache

        from . import signals  # noqa: F401

        # Cached children's pages and feeds show the catalogue and shelves, and the home page
        # the connected municipalities: any change makes them stale at once.
        page_cache.watch(
            "catalogue", "members.organisation", "members.connectionevent", "members.library"
        )

        post_migrate.connect(_ensure_search_index, sender=self)
