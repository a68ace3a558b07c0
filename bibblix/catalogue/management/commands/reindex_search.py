"""Rebuild every book's search text (title, series, contributors, subjects, other titles)."""

from django.core.management.base import BaseCommand

from bibblix.catalogue.services import refresh_search_index


class Command(BaseCommand):
    help = "Rebuild the search text of every book (after changing what search reads)."

    def handle(self, *args, **options):
        changed = refresh_search_index()
        self.stdout.write(f"{changed} books reindexed")
