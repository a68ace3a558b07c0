import pytest
from django.core.management import call_command

from bibblix.motivation.models import Challenge, LibraryTip


@pytest.mark.django_db
def test_demo_has_challenges_and_ales_tips_once(client):
    call_command("load_demo_data", books=30)
    call_command("load_demo_data", books=30)
    assert sorted(Challenge.objects.values_list("title", flat=True)) == [
        "Djurveckan i Ale",
        "Sommarboken",
    ]
    ale = Challenge.objects.get(title="Djurveckan i Ale")
    assert [m.name for m in ale.municipalities.all()] == ["Ale"]
    assert LibraryTip.objects.filter(library__municipality__name="Ale").count() == 6
