"""Small builders for catalogue rows in tests."""

from bibblix.catalogue.models import Book, BookContributor, Contributor, Theme


def make_book(title: str, *, authors: tuple[str, ...] = (), themes=(), **fields) -> Book:
    book = Book.objects.create(title=title, **fields)
    for position, name in enumerate(authors):
        contributor, _ = Contributor.objects.get_or_create(name=name)
        BookContributor.objects.create(book=book, contributor=contributor, position=position)
    if themes:
        book.themes.set(themes)
    book.refresh_from_db()
    return book


def make_theme(slug: str, name: str, symbol: str = "📚") -> Theme:
    return Theme.objects.create(slug=slug, name_sv=name, name_en=name, symbol=symbol)
