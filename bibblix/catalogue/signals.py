"""Keep the folded search text of a book current when its contributors change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Book, BookContributor, Contributor
from .spelling import forget_vocabulary


@receiver([post_save, post_delete], sender=BookContributor)
def _contributors_changed(sender, instance: BookContributor, **kwargs) -> None:
    from .search import refresh_search_text

    refresh_search_text([instance.book_id])


@receiver(post_save, sender=Contributor)
def _contributor_renamed(sender, instance: Contributor, created: bool, **kwargs) -> None:
    if created:
        return
    from .search import refresh_search_text

    refresh_search_text(list(instance.contributions.values_list("book_id", flat=True)))


@receiver([post_save, post_delete], sender=Book)
def _book_changed(sender, instance: Book, **kwargs) -> None:
    # Titles and series are the search's vocabulary (catalogue.spelling).
    forget_vocabulary()
