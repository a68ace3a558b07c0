"""Labels staff see in the staff area are Swedish: column headings and form labels that came
from model fields without a translated name, and the invoice list's payment state."""

from django.urls import reverse

from bibblix.catalogue.models import Book, Shelf
from bibblix.members.models import StaffProfile
from bibblix.patrons.models import LocalCard


def swedish_page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200, url
    return response.content.decode()


def test_list_headings_and_labels_are_swedish(client, django_user_model, coordinator, ale_library):
    chief = django_user_model.objects.create_superuser("chief", password="x")
    Book.objects.create(title="Pippi", identifier="urn:test:pippi", age_min=6, age_max=9)
    shelf = Shelf.objects.create(slug="tips", name="Veckans tips")
    LocalCard.objects.create(library=ale_library, card_hash="x" * 64, pin_hash="y")
    profile = StaffProfile.objects.get(user=coordinator)
    checks = [
        (reverse("admin:members_staffprofile_changelist"), "Användare", ">User<"),
        (reverse("admin:members_staffprofile_change", args=[profile.pk]), "Användare:", "User:"),
        (reverse("admin:patrons_localcard_changelist"), "Skapad", "Created at"),
        (reverse("admin:catalogue_book_changelist"), "Ålder", "Age label"),
        (reverse("admin:catalogue_shelf_change", args=[shelf.pk]), "Bok", ">Book<"),
    ]
    for url, swedish, english in checks:
        page = swedish_page(client, chief, url)
        assert swedish in page, url
        assert english not in page, url


def test_permissions_on_user_and_group_pages_are_swedish(client, django_user_model, coordinator):
    from django.contrib.auth.models import Group

    chief = django_user_model.objects.create_superuser("chief", password="x")
    group = Group.objects.filter(name__startswith="Bibblix: ").first()
    for url in (
        reverse("admin:auth_group_change", args=[group.pk]),
        reverse("admin:auth_user_change", args=[coordinator.pk]),
    ):
        page = swedish_page(client, chief, url)
        assert "Kan lägga till bok" in page, url
        assert "Kan dölja en bok för alla barn" in page, url  # a custom permission
        assert "Can add" not in page and "Can view" not in page, url


def test_role_groups_are_named_by_their_swedish_role(client, django_user_model, coordinator):
    chief = django_user_model.objects.create_superuser("chief", password="x")
    page = swedish_page(client, chief, reverse("admin:auth_group_changelist"))
    assert "Bibblix: Föreningsadministratör" in page and "Bibblix: Bibliotekarie" in page
    assert "Bibblix: association_admin" not in page
    page = swedish_page(client, chief, reverse("admin:auth_user_change", args=[coordinator.pk]))
    assert "Bibblix: association_admin" not in page and "Bibblix: librarian" not in page


def test_other_projects_pages_in_the_staff_area_are_swedish(client, django_user_model):
    # django-axes and django-tasks mark their labels for translation but ship no Swedish.
    chief = django_user_model.objects.create_superuser("chief", password="x")
    page = swedish_page(client, chief, reverse("admin:index"))
    assert "Inloggningsförsök och spärrar" in page and "Resultat av bakgrundsjobb" in page
    assert ">Axes<" not in page and "Tasks Database Backend" not in page
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="x", ip_address="192.0.2.1", user_agent="test", failures_since_start=3
    )
    page = swedish_page(client, chief, reverse("admin:axes_accessattempt_changelist"))
    assert "IP-adress" in page and "IP Address" not in page and "User Agent<" not in page
    page = swedish_page(client, chief, "/staff/django_tasks_database/dbtaskresult/")
    assert "Välj resultat av bakgrundsjobb" in page and "Task Result" not in page
