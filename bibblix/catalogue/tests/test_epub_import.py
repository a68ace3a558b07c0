import pytest
from django.core.files.storage import default_storage

from bibblix.audit.models import AuditEntry
from bibblix.catalogue.importing import import_epub
from bibblix.catalogue.models import Book

from .epubs import build_epub, opf, write

pytestmark = pytest.mark.django_db


def test_valid_epub_imports_metadata_people_and_cover_sizes(tmp_path):
    book, created = import_epub(write(tmp_path, build_epub()))
    assert created
    assert (book.title, book.language, book.publisher, book.published_year) == (
        "Testboken",
        "sv",
        "Testförlaget",
        2024,
    )
    assert [c.name for c in book.authors] == ["Astrid Testsson"]
    assert [c.name for c in book.contributors_in("illustrator")] == ["Ilse Bildmakare"]
    assert sorted(book.cover_renditions) == ["160", "320", "640"]
    assert all(default_storage.exists(name) for name in book.cover_renditions.values())
    assert "160w" in book.cover_srcset and "320w" in book.cover_srcset
    assert book.reading_minutes >= 1 and book.page_count >= 1
    assert default_storage.exists(book.epub.name)


def test_cover_renditions_are_jpegs_of_the_right_width(tmp_path):
    from PIL import Image

    book, _ = import_epub(write(tmp_path, build_epub()))
    with default_storage.open(book.cover_renditions["160"]) as handle:
        image = Image.open(handle)
        assert (image.format, image.width) == ("JPEG", 160)


@pytest.mark.parametrize(
    ("size", "mode", "image_format"),
    [((1400, 2100), "RGB", "JPEG"), ((700, 1050), "L", "JPEG"), ((500, 750), "P", "PNG")],
)
def test_large_and_grey_covers_come_out_rgb_at_each_width(size, mode, image_format):
    """A large JPEG is decoded at a reduced scale (draft) and still gives every size exactly."""
    import io

    from PIL import Image

    from bibblix.catalogue.epub import cover_renditions

    source = Image.radial_gradient("L").resize(size).convert(mode)
    data = io.BytesIO()
    source.save(data, image_format)
    renditions = cover_renditions(data.getvalue(), (160, 320, 640))
    sizes = {}
    for width, jpeg in renditions.items():
        with Image.open(io.BytesIO(jpeg)) as image:
            sizes[width] = (image.format, image.mode, image.size)
    largest = min(640, size[0])
    assert sizes == {
        160: ("JPEG", "RGB", (160, 240)),
        320: ("JPEG", "RGB", (320, 480)),
        640: ("JPEG", "RGB", (largest, largest * 3 // 2)),
    }


def test_reimport_updates_instead_of_duplicating(tmp_path):
    first, _ = import_epub(write(tmp_path, build_epub(), "a.epub"))
    first.description = "Bibliotekariens text"
    first.save()
    changed = build_epub(package=opf(title="Testboken, ny utgåva"))
    second, created = import_epub(write(tmp_path, changed, "b.epub"))
    assert not created and second.pk == first.pk
    assert Book.objects.count() == 1
    second.refresh_from_db()
    assert second.title == "Testboken, ny utgåva"
    assert second.description == "Bibliotekariens text"  # the librarian's blurb stays


def test_reimport_matches_on_isbn_even_with_a_new_identifier(tmp_path):
    import_epub(write(tmp_path, build_epub(package=opf(isbn="9789129688313")), "a.epub"))
    again = opf(identifier="urn:uuid:other", isbn="978-91-29-68831-3")
    book, created = import_epub(write(tmp_path, build_epub(package=again), "b.epub"))
    assert not created and book.isbn == "9789129688313"
    assert Book.objects.count() == 1


def test_import_is_audited(tmp_path):
    book, _ = import_epub(write(tmp_path, build_epub()))
    change = AuditEntry.objects.get()
    assert (change.action, change.object_id) == ("imported", str(book.pk))


def test_fixed_layout_is_detected(tmp_path):
    package = opf(layout="pre-paginated")
    book, _ = import_epub(write(tmp_path, build_epub(package=package)))
    assert book.layout == "fixed"


def test_import_runs_as_a_task(tmp_path):
    from bibblix.catalogue.tasks import import_epub_file

    result = import_epub_file.enqueue(str(write(tmp_path, build_epub())))
    assert result.return_value["created"] is True
    refused = import_epub_file.enqueue(str(write(tmp_path, b"junk", "junk.epub")))
    assert "refused" in refused.return_value


def test_author_who_also_illustrated_stays_an_author(tmp_path):
    # As in Standard Ebooks' Just So Stories: one dc:creator refined with `aut`, then `ill`.
    both = (
        '<dc:creator id="a1">Rudyard Kipling</dc:creator>\n'
        '<meta refines="#a1" property="role" scheme="marc:relators">aut</meta>\n'
        '<meta refines="#a1" property="role" scheme="marc:relators">ill</meta>'
    )
    package = opf().replace(
        '<dc:creator id="a1">Astrid Testsson</dc:creator>\n'
        '<meta refines="#a1" property="role" scheme="marc:relators">aut</meta>',
        both,
    )
    assert "Astrid" not in package
    book, _ = import_epub(write(tmp_path, build_epub(package=package)))
    assert [c.name for c in book.authors] == ["Rudyard Kipling"]
    assert [c.name for c in book.contributors_in("illustrator")] == [
        "Rudyard Kipling",
        "Ilse Bildmakare",
    ]


def test_stored_files_are_written_once_and_only_an_imports_own_are_removed(monkeypatch):
    import uuid
    from pathlib import Path

    from bibblix.catalogue import importing

    folder = f"test-{uuid.uuid4().hex}"
    a, b, c = (f"{folder}/{name}.jpg" for name in "abc")
    first = importing._Stored()
    assert first.save(a, b"one") == a  # no folder yet: the storage's own save
    assert first.save(b, b"two") == b  # the quick way
    second = importing._Stored()
    assert second.save(b, b"other") == b
    assert (first.names, second.names) == ([a, b], [])
    second.remove()
    assert Path(default_storage.path(b)).read_bytes() == b"two"
    assert Path(default_storage.path(b)).stat().st_mode & 0o777 == 0o644

    class Full:
        def __init__(self, descriptor, mode):
            self.handle = open(descriptor, mode)  # noqa: SIM115 (closed by __exit__)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[:1])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(importing.os, "fdopen", Full)
    with pytest.raises(OSError):
        first.save(c, b"three")
    assert not default_storage.exists(c)  # no half-written file stays
    first.remove()
    assert default_storage.listdir(folder) == ([], [])
    Path(default_storage.path(folder)).rmdir()
