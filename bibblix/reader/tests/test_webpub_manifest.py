import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from .conftest import return_loan

SCHEMAS = Path(settings.SHARED_DIR) / "schemas"
BOOKS = Path(settings.SHARED_DIR) / "books"


def schema_errors(manifest: dict) -> list[str]:
    spec = importlib.util.spec_from_file_location("webpub_validate", SCHEMAS / "validate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    registry, by_id = module.load_registry()
    return module.validate("webpub", manifest, registry, by_id)


def path_of(href: str) -> str:
    return urlsplit(href).path


def test_manifest_lists_the_book_with_signed_links(child, loan):
    response = child.get(f"/read/{loan.book_id}/manifest.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/webpub+json"
    manifest = response.json()
    assert manifest["metadata"]["title"] == loan.book.title
    assert manifest["metadata"]["language"] == "sv"
    assert [path_of(link["href"]).rsplit("/", 1)[1] for link in manifest["readingOrder"]] == [
        "chapter-1.xhtml",
        "chapter-2.xhtml",
        "chapter-3.xhtml",
    ]
    assert [entry["title"] for entry in manifest["toc"]] == ["Kapitel 1", "Kapitel 2", "Kapitel 3"]
    assert any(link.get("rel") == "cover" for link in manifest["resources"])


def test_manifest_links_serve_entries_that_cannot_run_scripts(child, loan):
    manifest = child.get(f"/read/{loan.book_id}/manifest.json").json()
    chapter = child.get(path_of(manifest["readingOrder"][0]["href"]))
    assert chapter.status_code == 200
    assert chapter["Content-Type"] == "application/xhtml+xml"
    assert b"Kapitel 1" in chapter.content
    assert chapter["Content-Security-Policy"].startswith("sandbox;")
    cover = next(link for link in manifest["resources"] if link.get("rel") == "cover")
    assert child.get(path_of(cover["href"])).content[:4] == b"\x89PNG"


def test_relative_links_inside_a_chapter_stay_signed(child, loan):
    manifest = child.get(f"/read/{loan.book_id}/manifest.json").json()
    chapter_path = path_of(manifest["readingOrder"][0]["href"])
    # A chapter referring to "cover.png" resolves next to itself, inside the signed prefix.
    sibling = chapter_path.rsplit("/", 1)[0] + "/cover.png"
    assert child.get(sibling).status_code == 200


def test_manifest_links_stop_working_when_the_loan_ends(child, loan):
    manifest = child.get(f"/read/{loan.book_id}/manifest.json").json()
    href = path_of(manifest["readingOrder"][0]["href"])
    return_loan(loan)
    assert child.get(href).status_code == 410
    assert child.get(f"/read/{loan.book_id}/manifest.json").status_code == 403


def test_missing_entry_is_not_found(child, loan):
    manifest = child.get(f"/read/{loan.book_id}/manifest.json").json()
    prefix = path_of(manifest["readingOrder"][0]["href"]).rsplit("/", 1)[0]
    assert child.get(prefix + "/no-such-file.xhtml").status_code == 404


def test_manifest_is_refused_without_a_loan(child, book):
    assert child.get(f"/read/{book.pk}/manifest.json").status_code == 403


@pytest.mark.shared
def test_manifest_of_the_demo_book_is_valid_against_the_readium_schema(child, loan):
    manifest = child.get(f"/read/{loan.book_id}/manifest.json").json()
    assert schema_errors(manifest) == []


@pytest.mark.shared
@pytest.mark.parametrize(
    "filename, layout",
    [
        ("sample_cole-voyage-of-life_fxl.epub", "fixed"),
        ("sample_mol-navigation_mo.epub", "reflowable"),
        ("kipling_just-so-stories.epub", "reflowable"),
    ],
)
def test_manifests_of_real_books_are_valid(
    child, patron_ale, make_book, make_loan, filename, layout
):
    book = make_book(
        "Real book", data=(BOOKS / filename).read_bytes(), layout=layout, language="en"
    )
    make_loan(patron_ale, book)
    manifest = child.get(f"/read/{book.pk}/manifest.json").json()
    assert schema_errors(manifest) == []
    assert manifest["metadata"]["layout"] == layout
    assert manifest["toc"]
    first = child.get(path_of(manifest["readingOrder"][0]["href"]))
    assert first.status_code == 200


def test_a_stored_file_that_is_no_longer_an_epub_answers_404_not_an_error(
    child, patron_ale, make_book, make_loan
):
    from bibblix.reader import package

    broken = make_book("Trasig", data=b"PK not a zip any more", number=9)
    make_loan(patron_ale, broken)
    response = child.get(f"/read/{broken.pk}/manifest.json")
    assert response.status_code == 404
    assert response.json()["detail"]
    with pytest.raises(package.EntryMissing):
        package.media_type_of(broken, "EPUB/chapter-1.xhtml")
