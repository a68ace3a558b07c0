"""Book files change in the staff area only through the checked paths."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bibblix.catalogue.models import Book
from bibblix.demo.generated_books import make_epub


def png(colour="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 600), colour).save(out, "PNG")
    return out.getvalue()


def test_a_new_cover_replaces_every_cover_size(client, coordinator):
    book = Book.objects.create(title="Boken", cover_renditions={"160": "covers/old-160.jpg"})
    client.force_login(coordinator)
    url = f"/staff/catalogue/book/{book.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | dict)
    }
    data.update(
        {
            "title": "Boken",
            "language": "sv",
            "age_min": 6,
            "age_max": 9,
            "layout": "reflowable",
            "licence_model": "unlimited",
            "licence_copies": 1,
            "new_cover": SimpleUploadedFile("c.png", png()),
        }
    )
    data.update({"book_contributors-TOTAL_FORMS": 0, "book_contributors-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    book.refresh_from_db()
    assert set(book.cover_renditions) == {"160", "320", "640"}
    assert "covers/old-160.jpg" not in book.cover_renditions.values()
    assert book.cover.name == book.cover_renditions["640"]


def test_a_broken_cover_is_refused_with_a_reason(client, coordinator):
    book = Book.objects.create(title="Boken")
    client.force_login(coordinator)
    url = f"/staff/catalogue/book/{book.pk}/change/"
    data = {
        "title": "Boken",
        "language": "sv",
        "age_min": 6,
        "age_max": 9,
        "layout": "reflowable",
        "licence_model": "unlimited",
        "licence_copies": 1,
        "new_cover": SimpleUploadedFile("c.png", b"not an image"),
        "book_contributors-TOTAL_FORMS": 0,
        "book_contributors-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "new_cover" in response.context["adminform"].form.errors
    book.refresh_from_db()
    assert not book.cover


def test_the_epub_file_is_not_an_editable_field(client, coordinator):
    book = Book.objects.create(title="Boken")
    client.force_login(coordinator)
    form = client.get(f"/staff/catalogue/book/{book.pk}/change/").context["adminform"].form
    assert "epub" not in form.fields and "cover" not in form.fields


def test_staff_import_an_epub_through_the_safe_import(client, coordinator):
    client.force_login(coordinator)
    upload = SimpleUploadedFile(
        "b.epub", make_epub(7, "Draken i Ale", "Alva Berg"), "application/epub+zip"
    )
    response = client.post("/staff/catalogue/book/import/", {"epub": upload})
    book = Book.objects.get(title="Draken i Ale")
    assert response.status_code == 302 and response.url.endswith(f"/{book.pk}/change/")
    assert book.epub.name and book.cover_renditions


def test_a_hostile_epub_upload_is_refused_and_nothing_is_stored(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/staff/catalogue/book/import/", {"epub": SimpleUploadedFile("x.epub", b"PK not a zip")}
    )
    assert response.status_code == 200
    assert "epub" in response.context["form"].errors
    assert not Book.objects.exists()


def test_municipality_staff_cannot_import(client, librarian_ale):
    client.force_login(librarian_ale)
    assert client.get("/staff/catalogue/book/import/").status_code == 403


def test_with_a_worker_the_upload_is_queued_not_imported_in_the_request(client, coordinator):
    from django.core.files.storage import default_storage
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from bibblix.catalogue.tasks import import_uploaded_epub

    client.force_login(coordinator)
    upload = SimpleUploadedFile(
        "b.epub", make_epub(8, "Draken i Lerum", "Alva Berg"), "application/epub+zip"
    )
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = client.post("/staff/catalogue/book/import/", {"epub": upload})
    assert response.status_code == 302 and response.url.endswith("/catalogue/book/")
    assert not Book.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "bibblix.catalogue.tasks.import_uploaded_epub"
    name, user_id = queued.args_kwargs["args"]
    assert default_storage.exists(name) and user_id == coordinator.pk

    outcome = import_uploaded_epub.call(name, user_id)  # what the worker does
    book = Book.objects.get(title="Draken i Lerum")
    assert outcome == {"book": book.pk, "title": "Draken i Lerum", "created": True}
    assert not default_storage.exists(name)
