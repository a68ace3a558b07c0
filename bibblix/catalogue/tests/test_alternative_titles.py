"""Other titles: a book is found by its original or translated title (docs/catalogue.md)."""

import pytest

from bibblix.catalogue.importing import import_epub
from bibblix.catalogue.models import Book
from bibblix.catalogue.onix_import import import_onix
from bibblix.catalogue.services import search

from .builders import make_book
from .epubs import build_epub, opf, write
from .test_onix_import import ISBN, message

pytestmark = pytest.mark.django_db


def titles(query: str, n: int = 3) -> list[str]:
    return [book.title for book in search(query)[:n]]


@pytest.fixture
def classics():
    make_book("The Jungle Book", authors=("Rudyard Kipling",), alternative_titles="Djungelboken")
    make_book(
        "Pippi Långstrump",
        authors=("Astrid Lindgren",),
        alternative_titles="Pippi Longstocking\nPippi Calzelunghe",
    )
    make_book(
        "The Wonderful Wizard of Oz",
        authors=("L. Frank Baum",),
        alternative_titles="Trollkarlen från Oz",
    )
    # Featured books with the same words come first in any tier but the exact one.
    make_book("Pippi Långstrump går ombord", authors=("Astrid Lindgren",), is_featured=True)
    make_book("Djungelbokens sånger", authors=("Alva Berg",), is_featured=True)
    make_book("Trollkarlen från Oz och hans vänner", authors=("Omar Berg",), is_featured=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("djungelboken", "The Jungle Book"),
        ("Pippi Longstocking", "Pippi Långstrump"),
        ("pippi longstoking", "Pippi Långstrump"),
        ("trollkarlen från oz", "The Wonderful Wizard of Oz"),
        ("trolkarlen från os", "The Wonderful Wizard of Oz"),
        ("the jungle book", "The Jungle Book"),
    ],
)
def test_another_title_finds_the_book_first(classics, query, expected):
    assert titles(query, 1) == [expected]


def test_other_titles_are_one_a_line_in_the_search_text(classics):
    book = Book.objects.get(title="Pippi Långstrump")
    assert book.search_titles == "|pippi langstrump|pippi longstocking|pippi calzelunghe|"
    assert book.search_text.startswith("pippi langstrump pippi longstocking pippi calzelunghe")


ONIX_WITH_ORIGINAL = f"""<Product><RecordReference>se.forlag.9</RecordReference>
  <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>{ISBN}</IDValue></ProductIdentifier>
  <DescriptiveDetail>
    <TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel>
      <TitleText>Djungelboken</TitleText></TitleElement></TitleDetail>
    <TitleDetail><TitleType>03</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel>
      <TitlePrefix>The</TitlePrefix><TitleWithoutPrefix>Jungle Book</TitleWithoutPrefix>
    </TitleElement></TitleDetail>
    <TitleDetail><TitleType>05</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel>
      <TitleText>Djungelb.</TitleText></TitleElement></TitleDetail>
    <Audience><AudienceCodeType>01</AudienceCodeType><AudienceCodeValue>02</AudienceCodeValue></Audience>
  </DescriptiveDetail></Product>"""


def test_onix_original_title_is_added_and_the_librarians_titles_kept():
    book = make_book("Djungelboken", isbn=ISBN, alternative_titles="Mowgli")
    report = import_onix(message(ONIX_WITH_ORIGINAL))
    assert report.errors == []
    book.refresh_from_db()
    # Type 03 (original language) is read; 05 (an abbreviation) is not a title children type.
    assert book.alternative_titles == "Mowgli\nThe Jungle Book"
    assert titles("the jungle book", 1) == ["Djungelboken"]
    import_onix(message(ONIX_WITH_ORIGINAL))  # again: nothing doubled
    book.refresh_from_db()
    assert book.alternative_titles == "Mowgli\nThe Jungle Book"


def test_epub_further_titles_are_other_titles_but_not_the_subtitle(tmp_path):
    extra = (
        '<dc:title id="t2">Pippi Longstocking</dc:title>'
        '<dc:title id="t3">En berättelse</dc:title>'
        '<meta refines="#t3" property="title-type">subtitle</meta>'
    )
    package = opf(title="Pippi Långstrump", extra_meta=extra)
    book, _ = import_epub(write(tmp_path, build_epub(package=package)))
    assert book.alternative_titles == "Pippi Longstocking"
    assert book.subtitle == "En berättelse"
    assert titles("pippi longstocking", 1) == ["Pippi Långstrump"]


def test_staff_edit_other_titles_in_the_admin(client, coordinator):
    book = make_book("Djungelboken")
    client.force_login(coordinator)
    url = f"/staff/catalogue/book/{book.pk}/change/"
    form = client.get(url).context["adminform"].form
    assert "alternative_titles" in form.fields
    data = {
        k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | dict)
    }
    data.update(
        {
            "title": "Djungelboken",
            "alternative_titles": "The Jungle Book\r\nDas Dschungelbuch",
            "language": "sv",
            "age_min": 6,
            "age_max": 9,
            "layout": "reflowable",
            "licence_model": "unlimited",
            "licence_copies": 1,
            "book_contributors-TOTAL_FORMS": 0,
            "book_contributors-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert titles("das dschungelbuch", 1) == ["Djungelboken"]
