"""The catalogue: books chosen by librarians, their contributors, themes and licences."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import fold

COVER_WIDTHS = (160, 320, 640)


def subject_headings(subjects) -> list[str]:
    """The words of a book's subjects: ONIX and EPUB headings ({"heading": …}) or plain strings;
    a subject given only as a code (Thema "YFH") has no words a child would type."""
    headings = []
    for subject in subjects or []:
        heading = subject.get("heading", "") if isinstance(subject, dict) else subject
        if isinstance(heading, str) and heading.strip():
            headings.append(heading)
    return headings


def search_text_for(book, people) -> str:
    """The folded words a book is found by: title, subtitle, series, other titles, contributors
    (in order), then its subjects' headings. The title comes first: ranking prefers text starting with the
    query."""
    other_titles = split_titles(getattr(book, "alternative_titles", ""))  # none before 0012
    parts = [book.title, book.subtitle, book.series, *other_titles]
    parts += [*people, *subject_headings(book.subjects)]
    return fold(" ".join(part for part in parts if part))


def split_titles(text: str) -> list[str]:
    """Book.alternative_titles as a list: one title a line, blank lines and repeats left out."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def join_titles(*groups) -> str:
    """Lists of titles merged into Book.alternative_titles' text (first spelling kept)."""
    seen, kept = set(), []
    for title in (title.strip() for group in groups for title in group):
        if title and fold(title) not in seen:
            seen.add(fold(title))
            kept.append(title)
    return "\n".join(kept)


def titles_key(names) -> str:
    """Folded names between bars, "|pippi langstrump|pippi|", for Book.search_titles."""
    folded = [fold(name) for name in names if name and fold(name)]
    return f"|{'|'.join(dict.fromkeys(folded))}|" if folded else ""


def validate_isbn(value: str) -> None:
    """Refuse an ISBN whose check digit or length is wrong (python-stdnum does the maths)."""
    from stdnum import isbn

    if value and not isbn.is_valid(value):
        raise ValidationError(_("%(value)s is not a valid ISBN."), params={"value": value})


def normalise_isbn(value: str) -> str:
    """ISBN-13 without hyphens, or "" when `value` is not a valid ISBN."""
    from stdnum import isbn

    value = (value or "").strip()
    if not value or not isbn.is_valid(value):
        return ""
    return isbn.to_isbn13(isbn.compact(value))


class Theme(models.Model):
    """A theme or genre chosen by librarians; the symbol helps children who read little yet."""

    slug = models.SlugField(unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    symbol = models.CharField(
        _("symbol"), max_length=16, help_text=_("An emoji shown with the name.")
    )
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name_sv"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name_sv

    def name_for(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_sv


class Contributor(models.Model):
    name = models.CharField(_("name"), max_length=200)
    sort_name = models.CharField(_("sort name"), max_length=200, blank=True)

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self) -> str:
        return self.name


# Lists of books (browsing, themes, filter-only searches, OPDS) show the books librarians
# feature first, then by title; search results use it after their rank. The demo marks its real
# books featured, so they come before the generated titles without a demo flag in production.
LISTING_ORDER = ("-is_featured", "title", "pk")


class Book(models.Model):
    class Layout(models.TextChoices):
        REFLOWABLE = "reflowable", _("Reflowable")
        FIXED = "fixed", _("Fixed layout (picture book)")

    class LicenceModel(models.TextChoices):
        UNLIMITED = "unlimited", _("Unlimited simultaneous use")
        CONCURRENT = "concurrent", _("Concurrent copies")

    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Written for children.")
    )
    language = models.CharField(
        _("language"), max_length=8, default="sv", help_text=_("ISO 639-1 code.")
    )
    age_min = models.PositiveSmallIntegerField(_("age from"), default=6)
    age_max = models.PositiveSmallIntegerField(_("age to"), default=12)
    is_easy_to_read = models.BooleanField(_("easy to read"), default=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    reading_minutes = models.PositiveIntegerField(
        _("estimated reading time (minutes)"), null=True, blank=True
    )
    layout = models.CharField(
        _("layout"), max_length=12, choices=Layout.choices, default=Layout.REFLOWABLE
    )
    has_media_overlays = models.BooleanField(_("has recorded narration"), default=False)
    series = models.CharField(_("series"), max_length=200, blank=True)
    # The names children know a book by besides its title: the original title of a translation
    # ("The Jungle Book" for "Djungelboken") or the translated one ("Pippi Longstocking").
    # Filled at import from ONIX (original-language, other-language, former and cover titles) and
    # EPUB (extra dc:title elements); librarians add more in the staff area. Search finds them
    # and ranks them as exact titles.
    alternative_titles = models.TextField(
        _("other titles"),
        blank=True,
        help_text=_(
            "One title a line: the original or a translated title children may search for."
        ),
    )
    series_number = models.PositiveSmallIntegerField(_("number in series"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_year = models.PositiveSmallIntegerField(_("year published"), null=True, blank=True)
    isbn = models.CharField(
        _("ISBN"), max_length=17, blank=True, db_index=True, validators=[validate_isbn]
    )
    identifier = models.CharField(_("EPUB identifier"), max_length=300, blank=True, db_index=True)
    epub = models.FileField(_("EPUB file"), upload_to="books/", blank=True)
    cover = models.ImageField(_("cover"), upload_to="covers/", blank=True)
    # {"160": "covers/<digest>-160.jpg", ...}: renditions made at import for srcset.
    cover_renditions = models.JSONField(_("cover sizes"), default=dict, blank=True)
    cover_url = models.URLField(
        _("cover link"),
        max_length=500,
        blank=True,
        help_text=_("The publisher's cover image address from ONIX (not downloaded)."),
    )
    reading_age_min = models.PositiveSmallIntegerField(_("reading age from"), null=True, blank=True)
    reading_level = models.CharField(
        _("Swedish reading level"),
        max_length=40,
        blank=True,
        help_text=_("E.g. the easy-to-read level (lättläst nivå 1–3) the publisher gives."),
    )
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    accessibility = models.JSONField(_("accessibility features"), default=list, blank=True)
    # Title, subtitle, series, contributors and subjects folded for search (lower case, å→a,
    # ä→a, ö→o);
    # kept up to date by save() and catalogue.search.refresh_search_text().
    search_text = models.TextField(blank=True, editable=False, default="")
    # The names a child may type whole: title and series folded, each between bars
    # ("|pippi langstrump|"), so ranking an exact title first is one cheap LIKE per row.
    search_titles = models.TextField(blank=True, editable=False, default="")
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="books", verbose_name=_("themes")
    )
    licence_model = models.CharField(
        _("licence model"),
        max_length=12,
        choices=LicenceModel.choices,
        default=LicenceModel.UNLIMITED,
    )
    licence_copies = models.PositiveIntegerField(
        _("concurrent copies"),
        default=1,
        help_text=_("Used with the concurrent-copies licence model."),
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    content_note = models.TextField(
        _("content note"),
        blank=True,
        help_text=_("Shown on the book page, e.g. for old texts with prejudiced words."),
    )
    is_featured = models.BooleanField(
        _("featured"),
        default=False,
        help_text=_("Shown on the home page and first in every list of books."),
    )
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)
    # Hidden from every municipality's children (test files, a book under review): set only by
    # catalogue.services.hide_from_children, which needs the association's permission and is
    # audited. Shelves never hide books: one municipality's list must not empty another's.
    is_hidden_from_children = models.BooleanField(
        _("hidden from children"), default=False, editable=False
    )
    is_free_to_try = models.BooleanField(
        _("free to try without a card"),
        default=False,
        help_text=_("Librarians choose a few books that anyone may read without logging in."),
    )
    is_generated = models.BooleanField(
        _("generated demo title"),
        default=False,
        help_text=_("Made up by the demo data, not a real book."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        # Browsing and filter-only searches list featured books first, then by title
        # (LISTING_ORDER): this index lets the database read the first page in order instead of
        # sorting every match.
        indexes = [
            models.Index(fields=["-is_featured", "title", "id"], name="catalogue_book_listing")
        ]
        verbose_name = _("book")
        verbose_name_plural = _("books")
        permissions = [("hide_book_from_children", _("Can hide a book from all children"))]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.build_search_text()
        self.search_titles = self.build_search_titles()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = [f for f in ("search_text", "search_titles") if f not in update_fields]
            kwargs["update_fields"] = [*update_fields, *extra]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.isbn:
            self.isbn = normalise_isbn(self.isbn) or self.isbn
        if self.age_min > self.age_max:
            raise ValidationError({"age_max": _("The age range ends before it starts.")})
        window = (self.available_from, self.available_until)
        if all(window) and window[1] < window[0]:
            raise ValidationError(
                {"available_until": _("The licence window ends before it starts.")}
            )

    def build_search_text(self) -> str:
        people = []
        if self.pk:
            people = list(
                self.book_contributors.values_list("contributor__name", flat=True).order_by(
                    "position", "pk"
                )
            )
        return search_text_for(self, people)

    def build_search_titles(self) -> str:
        return titles_key([self.title, self.series, *split_titles(self.alternative_titles)])

    @property
    def cover_srcset(self) -> str:
        """The `srcset` of the cover's renditions, e.g. "…-160.jpg 160w, …-320.jpg 320w"."""
        from django.core.files.storage import default_storage

        return ", ".join(
            f"{default_storage.url(name)} {width}w"
            for width, name in sorted(self.cover_renditions.items(), key=lambda i: int(i[0]))
        )

    def cover_url_for(self, width: int = 320) -> str:
        """The URL of the smallest rendition at least `width` wide (or the original cover)."""
        from django.core.files.storage import default_storage

        for size, name in sorted(self.cover_renditions.items(), key=lambda i: int(i[0])):
            if int(size) >= width:
                return default_storage.url(name)
        if self.cover:
            return self.cover.url
        return self.cover_url

    @property
    def cover_src(self) -> str:
        """A middle-sized cover URL for `src` (browsers pick from `srcset`)."""
        return self.cover_url_for(320)

    @property
    def illustrators(self) -> list["Contributor"]:
        return self.contributors_in(BookContributor.Role.ILLUSTRATOR)

    @property
    def length(self) -> str:
        """ "short", "medium" or "long" (see LENGTHS), or "" when unknown."""
        minutes = self.reading_minutes
        if minutes is None and self.page_count:
            minutes = self.page_count * 2
        if minutes is None:
            return ""
        for name, (low, high) in LENGTHS.items():
            if low <= minutes < high:
                return name
        return "long"

    @property
    def is_picture_book(self) -> bool:
        return self.layout == self.Layout.FIXED

    @property
    def age_label(self) -> str:
        return f"{self.age_min}–{self.age_max}"

    def is_available_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        if self.is_withdrawn:
            return False
        if self.available_from and day < self.available_from:
            return False
        return not (self.available_until and day > self.available_until)

    def contributors_in(self, role: str) -> list["Contributor"]:
        return [bc.contributor for bc in self.book_contributors.all() if bc.role == role]

    @property
    def authors(self) -> list["Contributor"]:
        return self.contributors_in(BookContributor.Role.AUTHOR)


# Reading time in minutes: what a child calls a short, a medium or a long book. Books without a
# reading time use two minutes a page.
LENGTHS = {"short": (0, 30), "medium": (30, 120), "long": (120, 10**9)}


class BookContributor(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        ILLUSTRATOR = "illustrator", _("Illustrator")
        TRANSLATOR = "translator", _("Translator")
        NARRATOR = "narrator", _("Narrator")

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="book_contributors")
    contributor = models.ForeignKey(
        Contributor, on_delete=models.PROTECT, related_name="contributions"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.AUTHOR)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("contributor of a book")
        verbose_name_plural = _("contributors of a book")

    def __str__(self) -> str:
        return f"{self.contributor} ({self.get_role_display()})"


class Shelf(models.Model):
    """A curated, ordered list of books: national (no municipality) or one municipality's own."""

    slug = models.SlugField(_("short name"), max_length=80)
    name = models.CharField(_("name"), max_length=120)
    symbol = models.CharField(_("symbol"), max_length=16, blank=True)
    description = models.TextField(_("description"), blank=True)
    municipality = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shelves",
        verbose_name=_("municipality"),
        help_text=_("Empty for a national shelf made by the association."),
    )
    is_for_children = models.BooleanField(
        _("shown to children"),
        default=True,
        help_text=_("Turn off for internal lists; the list is hidden, not its books."),
    )
    books = models.ManyToManyField(Book, through="ShelfEntry", related_name="shelves")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("shelf")
        verbose_name_plural = _("shelves")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(municipality__isnull=True),
                name="catalogue_shelf_unique_national_slug",
            ),
            models.UniqueConstraint(
                fields=["slug", "municipality"], name="catalogue_shelf_unique_local_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ShelfEntry(models.Model):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="entries")
    book = models.ForeignKey(
        Book, on_delete=models.CASCADE, related_name="shelf_entries", verbose_name=_("book")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("book on a shelf")
        verbose_name_plural = _("books on a shelf")
        constraints = [
            models.UniqueConstraint(fields=["shelf", "book"], name="catalogue_shelfentry_once")
        ]

    def __str__(self) -> str:
        return f"{self.shelf}: {self.book}"
