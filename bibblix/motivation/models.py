"""Reading joy: the child's private reading log, badges, library reading challenges, ratings and
the tables recommendations are made from.

Every row about a child hangs on the patron with CASCADE: retention deleting the account
deletes the log, badges, ratings and challenge places with it. Nothing here is shown to staff
per child; staff see challenge participation as counts per library only (admin.py).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadingDay(models.Model):
    """Minutes and pages a child read on one day (the week strip and "days in a row")."""

    patron = models.ForeignKey(
        "patrons.Patron", on_delete=models.CASCADE, related_name="+", verbose_name=_("patron")
    )
    day = models.DateField(_("day"))
    seconds = models.PositiveIntegerField(_("seconds read"), default=0)
    pages = models.PositiveIntegerField(_("pages turned"), default=0)

    class Meta:
        verbose_name = _("reading day")
        verbose_name_plural = _("reading days")
        constraints = [models.UniqueConstraint(fields=["patron", "day"], name="one_reading_day")]

    def __str__(self) -> str:
        return f"{self.day}"


class BadgeAward(models.Model):
    """A badge a child has earned; the unique constraint makes an award happen once, also when
    parallel reading events race to award it."""

    patron = models.ForeignKey(
        "patrons.Patron", on_delete=models.CASCADE, related_name="+", verbose_name=_("patron")
    )
    badge = models.CharField(_("badge"), max_length=40)
    awarded_at = models.DateTimeField(_("awarded"))
    # Set when the child has seen the celebration, so it is shown once.
    seen_at = models.DateTimeField(_("seen"), null=True, blank=True)

    class Meta:
        ordering = ["awarded_at", "pk"]
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        constraints = [models.UniqueConstraint(fields=["patron", "badge"], name="one_badge_each")]

    def __str__(self) -> str:
        return self.badge


class Challenge(models.Model):
    """A reading challenge run by the association (no organiser) or a municipality."""

    class Goal(models.TextChoices):
        BOOKS = "books", _("Number of books")
        MINUTES = "minutes", _("Minutes of reading")
        BOOK_LIST = "list", _("Books from a list")

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Written for children.")
    )
    picture = models.ImageField(_("picture"), upload_to="challenges/", blank=True)
    picture_text = models.CharField(
        _("picture description"), max_length=200, blank=True, help_text=_("For screen readers.")
    )
    organiser = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organiser"),
        limit_choices_to={"kind": "municipality"},
        help_text=_("Empty for a challenge run by the association."),
    )
    municipalities = models.ManyToManyField(
        "members.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("municipalities"),
        limit_choices_to={"kind": "municipality"},
        help_text=_("Where children can join. Empty: every municipality."),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    goal = models.CharField(_("goal"), max_length=8, choices=Goal.choices, default=Goal.BOOKS)
    goal_count = models.PositiveSmallIntegerField(
        _("goal (books or minutes)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text=_("For a book list: how many of the listed books."),
    )
    books = models.ManyToManyField(
        "catalogue.Book", blank=True, related_name="+", verbose_name=_("book list")
    )
    themes = models.ManyToManyField(
        "catalogue.Theme",
        blank=True,
        related_name="+",
        verbose_name=_("themes"),
        help_text=_("Only books with one of these themes count. Empty: any theme."),
    )
    age_min = models.PositiveSmallIntegerField(_("age from"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("age to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("reading challenge")
        verbose_name_plural = _("reading challenges")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The challenge ends before it starts.")})
        if self.age_min and self.age_max and self.age_max < self.age_min:
            raise ValidationError({"age_max": _("The age range ends before it starts.")})


class Participation(models.Model):
    """A child's place in a challenge (joined with one tap)."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="participations"
    )
    patron = models.ForeignKey(
        "patrons.Patron", on_delete=models.CASCADE, related_name="+", verbose_name=_("patron")
    )
    joined_at = models.DateTimeField(_("joined"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "patron"], name="one_place_per_challenge")
        ]

    def __str__(self) -> str:
        return str(self.challenge)


class Rating(models.Model):
    """A child's one-tap rating of a book: three faces, no free text; changeable."""

    class Face(models.IntegerChoices):
        SO_SO = 1, _("So-so")
        GOOD = 2, _("Good")
        GREAT = 3, _("Really good")

    patron = models.ForeignKey(
        "patrons.Patron", on_delete=models.CASCADE, related_name="+", verbose_name=_("patron")
    )
    book = models.ForeignKey(
        "catalogue.Book", on_delete=models.CASCADE, related_name="+", verbose_name=_("book")
    )
    value = models.PositiveSmallIntegerField(_("rating"), choices=Face.choices)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["patron", "book"], name="one_rating_per_book"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=3), name="rating_one_to_three"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.book_id}: {self.value}"


class CoReading(models.Model):
    """How many children finished both books (computed by `compute_co_reading`; pairs read by
    fewer than MIN_CO_READERS children are not stored, so a pair never points at one child)."""

    book = models.ForeignKey("catalogue.Book", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("catalogue.Book", on_delete=models.CASCADE, related_name="+")
    readers = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("books read together")
        verbose_name_plural = _("books read together")
        constraints = [models.UniqueConstraint(fields=["book", "other"], name="one_pair")]
        indexes = [models.Index(fields=["book", "-readers"], name="coreading_best")]

    def __str__(self) -> str:
        return f"{self.book_id} + {self.other_id}: {self.readers}"


class LibraryTip(models.Model):
    """A book on a library's own tips shelf ("Biblioteket tipsar"), in the librarians' order."""

    library = models.ForeignKey(
        "members.Library", on_delete=models.CASCADE, related_name="+", verbose_name=_("library")
    )
    book = models.ForeignKey(
        "catalogue.Book", on_delete=models.CASCADE, related_name="+", verbose_name=_("book")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("library tip")
        verbose_name_plural = _("library tips")
        constraints = [models.UniqueConstraint(fields=["library", "book"], name="one_tip_per_book")]

    def __str__(self) -> str:
        return f"{self.library}: {self.book}"
