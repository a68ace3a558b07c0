"""The catalogue: books chosen by librarians, their contributors, themes and licences."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    series_number = models.PositiveSmallIntegerField(_("number in series"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_year = models.PositiveSmallIntegerField(_("year published"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, db_index=True)
    identifier = models.CharField(_("EPUB identifier"), max_length=300, blank=True, db_index=True)
    epub = models.FileField(_("EPUB file"), upload_to="books/", blank=True)
    cover = models.ImageField(_("cover"), upload_to="covers/", blank=True)
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
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)
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
        verbose_name = _("book")
        verbose_name_plural = _("books")

    def __str__(self) -> str:
        return self.title

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
