"""Demo catalogue: the public-domain books in ../shared/books/ plus generated titles up to 3,000."""

import csv
import random
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F

from bibblix.catalogue.epub import EpubError
from bibblix.catalogue.importing import import_epub
from bibblix.catalogue.models import Book, BookContributor, Contributor, Shelf, ShelfEntry, Theme
from bibblix.catalogue.search import refresh_search_text

from . import generated_books as generated

THEMES = [
    ("spanning", "Spänning", "Suspense", "🔦"),
    ("humor", "Humor", "Humour", "😂"),
    ("fakta", "Fakta", "Facts", "🔎"),
    ("djur", "Djur", "Animals", "🐾"),
    ("karlek", "Kärlek", "Love", "❤️"),
    ("skrack", "Skräck", "Horror", "👻"),
    ("serier", "Serier", "Comics", "💬"),
    ("lattlast", "Lättläst", "Easy to read", "📖"),
    ("aventyr", "Äventyr", "Adventure", "🧭"),
    ("fantasy", "Fantasy", "Fantasy", "🐉"),
    ("sagor", "Sagor", "Fairy tales", "🏰"),
    ("klassiker", "Klassiker", "Classics", "📜"),
    ("bilderbocker", "Bilderböcker", "Picture books", "🖼️"),
    ("testbocker", "Testböcker", "Test books", "🧪"),
]

# Editorial notes for unaltered historical texts (see ../shared/books/README.md).
CONTENT_NOTES = {
    "lofting_story-of-doctor-dolittle.epub": "Boken är skriven för över hundra år sedan och innehåller rasistiska ord och bilder av människor.",
    "kipling_just-so-stories.epub": "Boken är skriven för över hundra år sedan och innehåller ett rasistiskt ord.",
    "barrie_peter-and-wendy.epub": "Boken är skriven för över hundra år sedan och beskriver ursprungsfolk på ett fördomsfullt sätt.",
    "nesbit_five-children-and-it.epub": "Boken är skriven för över hundra år sedan och beskriver ursprungsfolk på ett fördomsfullt sätt.",
    "grimm_household-tales.epub": "Samlingen är nästan tvåhundra år gammal; några sagor innehåller fördomar mot judar.",
}

# The Swedish titles the classics are known by here, as librarians enter them in the staff
# area ("Other titles"): a child searches "djungelboken", not "the jungle book".
OTHER_TITLES = {
    "The Jungle Book": ["Djungelboken"],
    "The Wonderful Wizard of Oz": ["Trollkarlen från Oz"],
    "The Adventures of Pinocchio": ["Pinocchios äventyr"],
    "The Wonderful Adventures of Nils": ["Nils Holgerssons underbara resa genom Sverige"],
    "Peter and Wendy": ["Peter Pan"],
    "The Secret Garden": ["Den hemliga trädgården"],
    "The Wind in the Willows": ["Det susar i säven"],
    "The Story of Doctor Dolittle": ["Doktor Dolittle"],
    "The Railway Children": ["Järnvägsbarnen"],
    "Just So Stories": ["Just så-historier"],
    "Household Tales": ["Grimms sagor"],
}

TARGET_TOTAL = 3000
# Shown to children in the "Bilderböcker" theme; the other sample stays an internal test book.
PICTURE_BOOKS = {
    "sample_cole-voyage-of-life_fxl.epub",
    "sample_mol-timing-synchronization-fxl_mo.epub",
}
FREE_TO_TRY = [
    "baum_wonderful-wizard-of-oz.epub",
    "collodi_adventures-of-pinocchio.epub",
    "burnett_secret-garden.epub",
]
WEEKLY_TIPS = [
    "lagerlof_wonderful-adventures-of-nils.epub",
    "kipling_jungle-book.epub",
    "grahame_wind-in-the-willows.epub",
    "nesbit_railway-children.epub",
    "barrie_peter-and-wendy.epub",
]


def load_themes() -> dict[str, Theme]:
    themes = {}
    for order, (slug, name_sv, name_en, symbol) in enumerate(THEMES):
        theme, _ = Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "name_sv": name_sv,
                "name_en": name_en,
                "symbol": symbol,
                "sort_order": order,
            },
        )
        themes[name_sv] = theme
    return themes


def load_shared_books(themes: dict[str, Theme], out=print) -> dict[str, Book]:
    """Import the books listed in ../shared/books/catalogue.csv; returns them by file name."""
    books_dir = Path(settings.SHARED_DIR) / "books"
    sheet = books_dir / "catalogue.csv"
    if not sheet.exists():
        out(f"  {sheet} not found: only generated demo books are loaded.")
        return {}
    loaded = {}
    with sheet.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            is_sample = row["file"].startswith("sample_")
            age_min, age_max = (int(x) for x in row["age_band"].split("-"))
            try:
                book, _ = import_epub(
                    books_dir / row["file"],
                    description=row["description_sv"],
                    age_min=age_min,
                    age_max=age_max,
                    is_featured=not is_sample or row["file"] in PICTURE_BOOKS,
                    content_note=CONTENT_NOTES.get(row["file"], ""),
                    is_free_to_try=row["file"] in FREE_TO_TRY,
                    alternative_titles="\n".join(OTHER_TITLES.get(row["title"], [])),
                )
            except EpubError as exc:
                out(f"  refused {row['file']}: {exc}")
                continue
            if not is_sample:  # the test files' author column is a description, not names
                credit_authors(book, row["author"])
            names = [n.strip() for n in row["themes"].split(";") if n.strip()]
            chosen = [themes[n] for n in names if n in themes]
            if row["file"] in PICTURE_BOOKS:
                # The fixed-layout samples (one narrated) are the demo's picture books.
                chosen = [themes["Bilderböcker"]]
                Book.objects.filter(pk=book.pk).update(layout=Book.Layout.FIXED)
            elif is_sample:
                chosen = [themes["Testböcker"]]
            book.themes.set(chosen)
            loaded[row["file"]] = book
    return loaded


def credit_authors(book: Book, names: str) -> None:
    """Give the authors named in catalogue.csv ("A & B") the author role on their book.

    An EPUB may give one person several roles: Kipling wrote and illustrated *Just So Stories*
    (`aut` and `ill` on one creator). The importer keeps one role per person (the last), so he
    came in as illustrator only and the book showed no author. The spreadsheet says who wrote
    the book; only names the EPUB lists as contributors are credited, nobody is made up."""
    for name in (n.strip() for n in names.split("&")):
        links = book.book_contributors.filter(contributor__name=name)
        if not links.exists() or links.filter(role=BookContributor.Role.AUTHOR).exists():
            continue
        book.book_contributors.update(position=F("position") + 1)  # the author comes first
        BookContributor.objects.create(
            book=book,
            contributor=links.first().contributor,
            role=BookContributor.Role.AUTHOR,
            position=0,
        )


def load_generated_books(themes: dict[str, Theme], target_total: int = TARGET_TOTAL) -> int:
    """Create generated demo titles until the catalogue holds `target_total` books."""
    # Earlier demo versions tagged some of these Swedish titles Arabic or English.
    Book.objects.filter(is_generated=True).exclude(language=generated.LANGUAGE).update(
        language=generated.LANGUAGE
    )
    _renew_old_generated_books()
    missing = target_total - Book.objects.count()
    if missing <= 0:
        return 0
    templates = _generated_templates()
    start = Book.objects.filter(is_generated=True).count() + 1
    child_themes = [
        t for t in themes.values() if t.slug not in {"testbocker", "klassiker", "bilderbocker"}
    ]
    books, links, authors = [], [], {}
    for number in range(start, start + missing):
        rng = random.Random(number)
        age_min = rng.choice([6, 6, 7, 8, 9, 9, 10])
        epub_name, _template_cover = templates[number % len(templates)]
        cover_name = _generated_cover(number)
        books.append(
            Book(
                title=generated.generated_title(number),
                description="En påhittad demotitel som Bibblix har genererat för att visa en stor katalog.",
                language=generated.LANGUAGE,  # the language of the generated title
                age_min=age_min,
                age_max=min(12, age_min + rng.choice([3, 3, 4, 6])),
                is_easy_to_read=rng.random() < 0.25,
                page_count=rng.randint(24, 320),
                reading_minutes=rng.randint(10, 400),
                publisher="Bibblix demodata",
                identifier=f"urn:bibblix:generated:{number}",
                epub=epub_name,
                cover=cover_name,
                licence_model=Book.LicenceModel.CONCURRENT
                if rng.random() < 0.2
                else Book.LicenceModel.UNLIMITED,
                licence_copies=rng.choice([1, 2, 5, 10]),
                is_featured=False,  # lists show the real (featured) books first
                is_generated=True,
                is_free_to_try=False,
            )
        )
        authors[number] = generated.generated_author(number)
    created = Book.objects.bulk_create(books, batch_size=500)
    contributors = {}
    for name in set(authors.values()):
        contributors[name], _ = Contributor.objects.get_or_create(
            name=name, defaults={"sort_name": name}
        )
    through = Book.themes.through
    for book, number in zip(created, range(start, start + missing), strict=True):
        rng = random.Random(number * 31)
        for theme in rng.sample(child_themes, k=rng.choice([1, 2, 2, 3])):
            links.append(through(book_id=book.pk, theme_id=theme.pk))
    through.objects.bulk_create(links, batch_size=1000)
    BookContributor.objects.bulk_create(
        [
            BookContributor(
                book=book,
                contributor=contributors[authors[number]],
                role=BookContributor.Role.AUTHOR,
            )
            for book, number in zip(created, range(start, start + missing), strict=True)
        ],
        batch_size=1000,
    )
    return len(created)


def _generated_cover(number: int) -> str:
    """The book's own cover with its title and author drawn on it (made once, then kept)."""
    name = f"covers/generated/{number}.jpg"
    if not default_storage.exists(name):
        data = generated.make_cover(
            generated.generated_title(number),
            generated.COLOURS[number % len(generated.COLOURS)],
            width=300,
            author=generated.generated_author(number),
            image_format="JPEG",
        )
        default_storage.save(name, ContentFile(data))
    return name


def _renew_old_generated_books() -> int:
    """Earlier demo versions gave generated books repeated titles (some ungrammatical) and one
    of twelve shared "Demotitel" covers: give those their own title and cover, once."""
    renewed = 0
    old = Book.objects.filter(is_generated=True, cover__startswith="covers/generated-")
    for book in old.only("pk", "identifier"):
        number = int(book.identifier.rsplit(":", 1)[-1])
        Book.objects.filter(pk=book.pk).update(
            title=generated.generated_title(number), cover=_generated_cover(number)
        )
        renewed += 1
    return renewed


def _generated_templates() -> list[tuple[str, str]]:
    """A dozen generated EPUB files and covers that the generated titles share."""
    names = []
    for index in range(generated.TEMPLATE_COUNT):
        title = generated.generated_title(10_000 + index)
        epub_name = f"books/generated-{index}.epub"
        cover_name = f"covers/generated-{index}.png"
        if not default_storage.exists(epub_name):
            data = generated.make_epub(10_000 + index, title, generated.generated_author(index))
            default_storage.save(epub_name, ContentFile(data))
        if not default_storage.exists(cover_name):
            cover = generated.make_cover("Demotitel", generated.COLOURS[index])
            default_storage.save(cover_name, ContentFile(cover))
        names.append((epub_name, cover_name))
    return names


def _fill_shelf(shelf: Shelf, books: list[Book]) -> None:
    ShelfEntry.objects.filter(shelf=shelf).exclude(book__in=books).delete()
    for position, book in enumerate(books):
        ShelfEntry.objects.update_or_create(shelf=shelf, book=book, defaults={"position": position})


def load_shelves(shared: dict[str, Book]) -> None:
    """A national "Veckans tips", a shelf of Ale's own, and the internal test-book shelf."""
    tips, _ = Shelf.objects.update_or_create(
        slug="veckans-tips",
        municipality=None,
        defaults={"name": "Veckans tips", "symbol": "⭐", "sort_order": 0},
    )
    picks = [shared[name] for name in WEEKLY_TIPS if name in shared]
    generated_books = Book.objects.filter(is_generated=True).order_by("pk")
    picks += list(generated_books[: max(0, 8 - len(picks))])
    _fill_shelf(tips, picks)
    tests, _ = Shelf.objects.update_or_create(
        slug="testbocker",
        municipality=None,
        defaults={
            "name": "Testböcker",
            "symbol": "🧪",
            "description": "Testfiler för läsaren (fast layout, uppläsning). Inte för barnen.",
            "is_for_children": False,
            "sort_order": 999,
        },
    )
    samples = [
        book
        for name, book in shared.items()
        if name.startswith("sample_") and name not in PICTURE_BOOKS
    ]
    _fill_shelf(tests, samples)
    # Shelves no longer hide books: the reader's test files are hidden by their own flag, and the
    # picture books (once on this shelf) are shown to children again.
    Book.objects.filter(pk__in=[book.pk for book in samples]).update(is_hidden_from_children=True)
    pictures = [book.pk for name, book in shared.items() if name in PICTURE_BOOKS]
    Book.objects.filter(pk__in=pictures).update(is_hidden_from_children=False)
    if not shared:
        Book.objects.filter(pk__in=generated_books.values("pk")[:3]).update(is_free_to_try=True)
    _load_local_shelf(generated_books)


def _load_local_shelf(generated_books) -> None:
    from bibblix.members.models import Organisation

    ale = Organisation.objects.filter(municipality_code="1440").first()
    if ale is None:
        return
    shelf, _ = Shelf.objects.update_or_create(
        slug="ale-tipsar",
        municipality=ale,
        defaults={"name": "Biblioteket i Ale tipsar", "symbol": "📍", "sort_order": 10},
    )
    _fill_shelf(shelf, list(generated_books.filter(themes__slug="djur")[:6]))


def load(out=print, target_total: int = TARGET_TOTAL) -> None:
    themes = load_themes()
    shared = load_shared_books(themes, out=out)
    made = load_generated_books(themes, target_total=target_total)
    load_shelves(shared)
    refresh_search_text()
    out(
        f"  catalogue: {len(shared)} books from ../shared/books, {made} generated titles added, "
        f"{Book.objects.count()} books in all, search index rebuilt"
    )
