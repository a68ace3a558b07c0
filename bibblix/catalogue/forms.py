from django import forms
from django.utils.translation import gettext_lazy as _

from .epub import EpubError, cover_renditions
from .models import LENGTHS, Book
from .services import SearchFilters, children_themes

AGES = [("", _("Any age"))] + [(str(age), str(age)) for age in range(3, 15)]
LENGTH_CHOICES = [
    ("", _("Any length")),
    ("short", _("Short")),
    ("medium", _("Medium")),
    ("long", _("Long")),
]
LANGUAGES = [
    ("", _("Any language")),
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fi", _("Finnish")),
    ("so", _("Somali")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for a book"), required=False, max_length=100)
    age = forms.TypedChoiceField(
        label=_("Age"), choices=AGES, required=False, coerce=int, empty_value=None
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    length = forms.ChoiceField(label=_("Length"), choices=LENGTH_CHOICES, required=False)
    easy = forms.BooleanField(label=_("Easy to read"), required=False)
    picture = forms.BooleanField(label=_("Picture book"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themes = children_themes()
        self.fields["theme"].choices = [("", _("Any theme"))] + [
            (t.slug, f"{t.symbol} {t.name_sv}") for t in themes
        ]

    def query_and_filters(self) -> tuple[str, SearchFilters]:
        """The query and filters a child chose; unknown values are ignored, not errors."""
        if not self.is_bound:
            return "", SearchFilters()
        self.is_valid()
        data = self.cleaned_data
        return data.get("q", "") or "", SearchFilters(
            age=data.get("age"),
            language=data.get("language") or None,
            theme=data.get("theme") or None,
            length=data.get("length") if data.get("length") in LENGTHS else None,
            easy_to_read=True if data.get("easy") else None,
            picture_book=True if data.get("picture") else None,
        )


class BookAdminForm(forms.ModelForm):
    """The staff form for a book, with a checked way to give it a new cover."""

    new_cover = forms.FileField(
        label=_("New cover"),
        required=False,
        help_text=_("A JPEG or PNG image; all cover sizes are made from it."),
    )

    class Meta:
        model = Book
        fields = ["title"]  # the admin's fieldsets decide the fields; this is only the base

    def clean_new_cover(self):
        upload = self.cleaned_data.get("new_cover")
        if upload:
            self.cover_bytes = upload.read()
            try:
                cover_renditions(self.cover_bytes, (160,))
            except EpubError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload


class EpubUploadForm(forms.Form):
    epub = forms.FileField(label=_("EPUB file"))

    def enqueue_import(self, user):
        """Store the upload and queue its import (inline in the embedded mode and in tests);
        returns the task result."""
        from .tasks import import_uploaded_epub, store_upload

        name = store_upload(self.cleaned_data["epub"])
        return import_uploaded_epub.enqueue(name, user.pk if user else None)
