import pytest
from django.core.management import call_command

from bibblix.catalogue.models import Book
from bibblix.members.models import Organisation
from bibblix.patrons.models import LocalCard


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates(capsys):
    call_command("load_demo_data", books=60)
    counts = (Book.objects.count(), Organisation.objects.count(), LocalCard.objects.count())
    call_command("load_demo_data", books=60)
    assert (Book.objects.count(), Organisation.objects.count(), LocalCard.objects.count()) == counts
    assert Book.objects.count() == 60
    assert Book.objects.filter(is_generated=True).exists()
    out = capsys.readouterr().out
    assert "PIN 1234" in out and "bibblix-demo" in out


@pytest.mark.django_db
@pytest.mark.shared
def test_demo_register_has_the_33_municipalities_of_shared_data():
    call_command("load_demo_data", books=20)
    municipalities = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    assert municipalities.count() == 33
    assert municipalities.filter(group__name="Västra Götalandsregionen").count() == 31
    real = Book.objects.filter(is_generated=False)
    assert real.count() == 15
    assert all(book.cover for book in real.exclude(title__startswith="mol-"))


@pytest.mark.django_db
def test_demo_without_shared_folder_shows_books(client, settings, tmp_path):
    """A user's clone has no ../shared: the demo must still show books and open a book page."""
    settings.SHARED_DIR = tmp_path / "nowhere"
    call_command("load_demo_data", books=30)
    book = Book.objects.filter(is_generated=True).order_by("pk").first()
    assert client.get(f"/books/{book.pk}/").status_code == 200
    found = client.get("/search/", {"q": book.title}).content.decode()
    assert book.title in found
