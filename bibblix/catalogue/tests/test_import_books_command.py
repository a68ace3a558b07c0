import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from bibblix.catalogue.models import Book

from .epubs import build_epub, opf, write

pytestmark = pytest.mark.django_db

BOOKS = settings.SHARED_DIR / "books"


def test_folder_import_reports_each_refused_file_and_fails(tmp_path, capsys):
    folder = tmp_path / "inbox"
    folder.mkdir()
    write(folder, build_epub(), "good.epub")
    write(folder, build_epub(package=opf(title="Två", identifier="urn:uuid:2")), "second.epub")
    write(folder, build_epub(extra={"../evil": "x"}), "evil.epub")
    write(folder, b"not a zip", "broken.epub")
    with translation.override("en"), pytest.raises(CommandError, match="2 file"):
        call_command("import_books", str(folder), "--no-progress")
    out = capsys.readouterr().out
    assert Book.objects.count() == 2
    refused = [line for line in out.splitlines() if line.startswith("REFUSED")]
    assert len(refused) == 2
    assert any("evil.epub" in line and "unsafe path" in line for line in refused)
    assert any("broken.epub" in line and "not a ZIP" in line for line in refused)


def test_clean_import_exits_normally_and_reimport_updates(tmp_path, capsys):
    path = write(tmp_path, build_epub())
    call_command("import_books", str(path), "--no-progress")
    call_command("import_books", str(path), "--no-progress")
    assert Book.objects.count() == 1
    assert "0 imported, 1 updated, 0 refused" in capsys.readouterr().out


def test_missing_file_is_refused(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_books", str(tmp_path / "nope.epub"), "--no-progress")
    assert "REFUSED" in capsys.readouterr().out


@pytest.mark.shared
def test_all_shared_books_import_with_metadata_and_covers(capsys):
    call_command("import_books", str(BOOKS), "--no-progress")
    assert Book.objects.count() == 15
    titles = set(Book.objects.values_list("title", flat=True))
    assert {"Peter and Wendy", "The Jungle Book", "The Wonderful Adventures of Nils"} <= titles
    nils = Book.objects.get(title="The Wonderful Adventures of Nils")
    assert "Selma Lagerlöf" in [c.name for c in nils.authors]
    assert nils.language == "en-US" and nils.reading_minutes > 60  # BCP 47, region kept
    grimm = Book.objects.get(title="Household Tales")
    assert {c.name for c in grimm.authors} >= {"Jacob Grimm", "Wilhelm Grimm"}
    standard_ebooks = Book.objects.exclude(title__startswith="mol-").exclude(
        identifier__contains="cole"
    )
    assert all(sorted(b.cover_renditions) == ["160", "320", "640"] for b in standard_ebooks)
    cole = Book.objects.get(title__contains="Voyage of Life")
    assert cole.layout == "fixed" and cole.cover
    overlays = Book.objects.filter(title__startswith="mol-")
    assert overlays.count() == 2 and all(b.has_media_overlays for b in overlays)
    assert not Book.objects.exclude(title__startswith="mol-").filter(has_media_overlays=True)
    call_command("import_books", str(BOOKS), "--no-progress")
    assert Book.objects.count() == 15


def test_two_processes_import_every_file_with_its_authors_searchable(tmp_path, db):
    from bibblix.catalogue.models import Book
    from bibblix.catalogue.services import search
    from bibblix.demo import generated_books as generated

    for number in range(6):
        data = generated.make_epub(number, f"Parallellboken {number}", f"Författare Nr{number}")
        (tmp_path / f"book-{number}.epub").write_bytes(data)
    (tmp_path / "broken.epub").write_bytes(b"not a zip")
    with pytest.raises(CommandError):
        call_command("import_books", str(tmp_path), "--no-progress", "--jobs", "2")
    assert Book.objects.filter(title__startswith="Parallellboken").count() == 6
    assert [b.title for b in search("nr4")] == ["Parallellboken 4"]
    assert all(len(b.cover_renditions) == 3 for b in Book.objects.all())


# --- batches: one transaction and one insert per table for many books ------------------------


def _generated(folder, count, start=0):
    from bibblix.demo import generated_books as generated

    for number in range(start, start + count):
        data = generated.make_epub(number, f"Satsboken {number}", f"Satsförfattare Nr{number}")
        (folder / f"book-{number:03d}.epub").write_bytes(data)


def test_a_batch_stores_books_authors_search_text_and_audit_rows(tmp_path, capsys):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bibblix.audit.models import AuditEntry
    from bibblix.catalogue.services import search

    _generated(tmp_path, 12)
    with CaptureQueriesContext(connection) as captured:
        call_command("import_books", str(tmp_path), "--no-progress", "--jobs", "1")
    assert "12 imported, 0 updated, 0 refused" in capsys.readouterr().out
    books = Book.objects.filter(title__startswith="Satsboken")
    assert books.count() == 12
    assert [b.title for b in search("nr7")] == ["Satsboken 7"]
    assert all(b.search_text == b.build_search_text() for b in books)
    audit = AuditEntry.objects.filter(action="imported", model="book")
    assert sorted(map(int, audit.values_list("object_id", flat=True))) == sorted(
        books.values_list("pk", flat=True)
    )
    # One batch: a handful of statements, not a dozen per book.
    inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) <= 5


def test_a_book_twice_in_a_batch_is_imported_then_updated(tmp_path, capsys):
    write(tmp_path, build_epub(), "first.epub")
    write(tmp_path, build_epub(package=opf(title="Nytt namn")), "second.epub")
    call_command("import_books", str(tmp_path), "--no-progress", "--jobs", "1")
    assert "1 imported, 1 updated, 0 refused" in capsys.readouterr().out
    assert list(Book.objects.values_list("title", flat=True)) == ["Nytt namn"]


def test_a_failing_book_leaves_nothing_and_the_rest_of_its_batch_is_imported(
    tmp_path, capsys, monkeypatch, settings
):
    from django.db import DatabaseError

    from bibblix.audit.models import AuditEntry
    from bibblix.catalogue import importing
    from bibblix.catalogue.models import BookContributor, Contributor

    settings.MEDIA_ROOT = tmp_path / "media"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _generated(inbox, 5)
    real = importing._apply_metadata

    def fail_for_book_3(book, meta):
        real(book, meta)
        if meta.title == "Satsboken 3":
            raise DatabaseError("the database said no")

    monkeypatch.setattr(importing, "_apply_metadata", fail_for_book_3)
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_books", str(inbox), "--no-progress", "--jobs", "1")
    out = capsys.readouterr().out
    assert "4 imported, 0 updated, 1 refused" in out
    assert "book-003.epub" in out and "the database said no" in out
    assert sorted(Book.objects.values_list("title", flat=True)) == [
        f"Satsboken {n}" for n in (0, 1, 2, 4)
    ]
    assert not Contributor.objects.filter(name__endswith="Nr3").exists()
    assert BookContributor.objects.count() == 4
    assert AuditEntry.objects.filter(action="imported").count() == 4
    # Its files are gone too: four EPUBs and four books' covers are left.
    media = settings.MEDIA_ROOT
    assert len(list((media / "books").iterdir())) == 4
    assert len(list((media / "covers").iterdir())) == 4 * 3
