"""Books imported before language tags were normalised may hold ISO 639-2 codes (`swe`, `eng`)
or odd spellings (`sv_SE`); their book pages failed. Rewrite them as BCP 47 (`sv`, `sv-SE`)."""

import langcodes
from django.db import migrations


def _bcp47(code):
    text = (code or "").strip().replace("_", "-")
    try:
        tag = langcodes.standardize_tag(text)
    except (ValueError, LookupError):
        return "sv"
    language = langcodes.Language.get(tag).language or ""
    if not language.isalpha() or language == "und":
        return "sv"
    return tag if len(tag) <= 8 else language


def normalise_stored_languages(apps, schema_editor):
    Book = apps.get_model("catalogue", "Book")
    codes = Book.objects.values_list("language", flat=True).distinct()
    for code in list(codes):
        tag = _bcp47(code)
        if tag != code:
            Book.objects.filter(language=code).update(language=tag)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_featured_books_first_in_lists"),
    ]

    operations = [
        migrations.RunPython(normalise_stored_languages, migrations.RunPython.noop, elidable=True),
    ]
