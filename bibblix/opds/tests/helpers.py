"""Builders and schema validation for the OPDS tests: plain functions (the fixtures that borrow
are in conftest.py)."""

import base64
import functools
import importlib.util
import io
import itertools
import json

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image

from bibblix.catalogue.models import Book, BookContributor, Contributor, Theme

_cards = itertools.count(40000001)


def make_theme(slug: str = "djur", name: str = "Djur", symbol: str = "🐾") -> Theme:
    return Theme.objects.get_or_create(
        slug=slug, defaults={"name_sv": name, "name_en": name, "symbol": symbol}
    )[0]


def png_bytes(width: int = 40, height: int = 60) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def make_book(
    title: str = "Pippi Långstrump", *, themes=(), authors=("Astrid Lindgren",), **fields
):
    """A book with an author, an illustrator, themes and a cover."""
    cover = fields.pop("cover", True)
    illustrators = fields.pop("illustrators", ("Ingrid Vang Nyman",))
    book = Book.objects.create(title=title, **fields)
    for position, name in enumerate(authors):
        contributor = Contributor.objects.create(name=name, sort_name=name.split()[-1])
        BookContributor.objects.create(book=book, contributor=contributor, position=position)
    for name in illustrators:
        contributor = Contributor.objects.create(name=name)
        BookContributor.objects.create(
            book=book, contributor=contributor, role=BookContributor.Role.ILLUSTRATOR
        )
    book.themes.set(themes)
    if cover:
        book.cover.save(f"{book.pk}.png", ContentFile(png_bytes()), save=True)
    return book


def licensed_book(title: str = "Boken", *, copies: int | None = None, **fields) -> Book:
    """A bare book (no contributors, no cover); `copies` gives it a concurrent licence."""
    if copies is not None:
        fields.update(licence_model=Book.LicenceModel.CONCURRENT, licence_copies=copies)
    return Book.objects.create(title=title, **fields)


def another_child(municipality):
    """A new child (a new card) of a municipality's first library."""
    from bibblix.patrons.services import patron_for_card

    return patron_for_card(municipality.libraries.first(), str(next(_cards)))


def basic(card: str, pin: str) -> str:
    return "Basic " + base64.b64encode(f"{card}:{pin}".encode()).decode()


@functools.cache
def _validator_module():
    # The project does not copy the schemas: it loads ../shared/schemas/validate.py, which
    # resolves every $ref offline and rewrites the JavaScript-style named groups.
    path = settings.SHARED_DIR / "schemas" / "validate.py"
    spec = importlib.util.spec_from_file_location("shared_schemas_validate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def _registry():
    return _validator_module().load_registry()


def schema_errors(kind: str, document) -> list[str]:
    """The schema's complaints about `document` ("feed", "publication", "authentication")."""
    registry, by_id = _registry()
    return _validator_module().validate(kind, document, registry, by_id)


def assert_valid(kind: str, document) -> None:
    errors = schema_errors(kind, document)
    assert not errors, json.dumps(document, ensure_ascii=False)[:2000] + "\n" + "\n".join(errors)


def maybe_valid(kind: str, document) -> None:
    """Validate against the schemas when ../shared is there (the tests that need it always are
    marked `shared`; these check other things and validate on the side)."""
    if settings.SHARED_DIR.exists():
        assert_valid(kind, document)
