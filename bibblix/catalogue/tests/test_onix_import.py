import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from bibblix.audit.models import AuditEntry
from bibblix.catalogue.models import Book
from bibblix.catalogue.onix import OnixError
from bibblix.catalogue.onix_import import import_onix

from .builders import make_book

pytestmark = pytest.mark.django_db

ISBN = "9789129688313"
OTHER_ISBN = "9780306406157"

GOOD = f"""
<Product>
  <RecordReference>se.forlag.1</RecordReference>
  <NotificationType>03</NotificationType>
  <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>{ISBN}</IDValue></ProductIdentifier>
  <DescriptiveDetail>
    <ProductComposition>00</ProductComposition><ProductForm>ED</ProductForm>
    <ProductFormFeature><ProductFormFeatureType>09</ProductFormFeatureType>
      <ProductFormFeatureValue>11</ProductFormFeatureValue>
      <ProductFormFeatureDescription>Innehållsförteckning</ProductFormFeatureDescription>
    </ProductFormFeature>
    <ProductFormFeature><ProductFormFeatureType>09</ProductFormFeatureType>
      <ProductFormFeatureValue>24</ProductFormFeatureValue></ProductFormFeature>
    <Collection><CollectionType>10</CollectionType>
      <TitleDetail><TitleType>01</TitleType><TitleElement>
        <TitleElementLevel>02</TitleElementLevel><PartNumber>2</PartNumber>
        <TitleText>Drakserien</TitleText></TitleElement></TitleDetail>
    </Collection>
    <TitleDetail><TitleType>01</TitleType><TitleElement>
      <TitleElementLevel>01</TitleElementLevel>
      <TitleText>Draken som åt glass</TitleText><Subtitle>En sommarsaga</Subtitle>
    </TitleElement></TitleDetail>
    <Contributor><SequenceNumber>2</SequenceNumber><ContributorRole>A12</ContributorRole>
      <PersonName>Ilse Bild</PersonName></Contributor>
    <Contributor><SequenceNumber>1</SequenceNumber><ContributorRole>A01</ContributorRole>
      <NamesBeforeKey>Astrid</NamesBeforeKey><KeyNames>Skrivare</KeyNames></Contributor>
    <Contributor><SequenceNumber>3</SequenceNumber><ContributorRole>B01</ContributorRole>
      <PersonName>En Redaktör</PersonName></Contributor>
    <Language><LanguageRole>01</LanguageRole><LanguageCode>swe</LanguageCode></Language>
    <Extent><ExtentType>00</ExtentType><ExtentValue>48</ExtentValue><ExtentUnit>03</ExtentUnit></Extent>
    <Subject><SubjectSchemeIdentifier>93</SubjectSchemeIdentifier><SubjectCode>YFH</SubjectCode>
      <SubjectHeadingText>Fantasy för barn</SubjectHeadingText></Subject>
    <Subject><SubjectSchemeIdentifier>12</SubjectSchemeIdentifier><SubjectCode>YFH</SubjectCode></Subject>
    <Audience><AudienceCodeType>01</AudienceCodeType><AudienceCodeValue>02</AudienceCodeValue></Audience>
    <Audience><AudienceCodeType>02</AudienceCodeType><AudienceCodeTypeName>Lättläst</AudienceCodeTypeName>
      <AudienceCodeValue>2</AudienceCodeValue></Audience>
    <AudienceRange><AudienceRangeQualifier>17</AudienceRangeQualifier>
      <AudienceRangePrecision>03</AudienceRangePrecision><AudienceRangeValue>6</AudienceRangeValue>
      <AudienceRangePrecision>04</AudienceRangePrecision><AudienceRangeValue>9</AudienceRangeValue>
    </AudienceRange>
    <AudienceRange><AudienceRangeQualifier>18</AudienceRangeQualifier>
      <AudienceRangePrecision>03</AudienceRangePrecision><AudienceRangeValue>7</AudienceRangeValue>
    </AudienceRange>
  </DescriptiveDetail>
  <CollateralDetail>
    <TextContent><TextType>03</TextType><ContentAudience>00</ContentAudience>
      <Text>Förlagets text om draken.</Text></TextContent>
    <SupportingResource><ResourceContentType>01</ResourceContentType><ContentAudience>00</ContentAudience>
      <ResourceMode>03</ResourceMode><ResourceVersion><ResourceForm>02</ResourceForm>
      <ResourceLink>https://covers.example/9789129688313.jpg</ResourceLink></ResourceVersion>
    </SupportingResource>
  </CollateralDetail>
  <PublishingDetail>
    <Publisher><PublishingRole>01</PublishingRole><PublisherName>Rabén &amp; Sjögren</PublisherName></Publisher>
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20240315</Date></PublishingDate>
  </PublishingDetail>
</Product>"""


def product(reference: str, isbn: str, title: str = "En bok", audience: str = "02", age="8") -> str:
    return f"""<Product><RecordReference>{reference}</RecordReference>
  <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>{isbn}</IDValue></ProductIdentifier>
  <DescriptiveDetail>
    <TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel>
      <TitleText>{title}</TitleText></TitleElement></TitleDetail>
    <Audience><AudienceCodeType>01</AudienceCodeType><AudienceCodeValue>{audience}</AudienceCodeValue></Audience>
    <AudienceRange><AudienceRangeQualifier>17</AudienceRangeQualifier>
      <AudienceRangePrecision>03</AudienceRangePrecision><AudienceRangeValue>{age}</AudienceRangeValue>
    </AudienceRange>
  </DescriptiveDetail></Product>"""


def message(*products: str) -> bytes:
    body = "".join(products)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ONIXMessage release="3.0" xmlns="http://ns.editeur.org/onix/3.0/reference">
<Header><Sender><SenderName>Förlaget</SenderName></Sender><SentDateTime>20260101</SentDateTime></Header>
{body}</ONIXMessage>""".encode()


@pytest.fixture
def book():
    return make_book("Draken", isbn=ISBN, description="Bibliotekariens text för barn.")


def test_good_record_updates_the_book_with_the_same_isbn(book):
    report = import_onix(message(GOOD))
    assert report.updated == ["se.forlag.1"] and report.errors == []
    book.refresh_from_db()
    assert (book.title, book.subtitle) == ("Draken som åt glass", "En sommarsaga")
    assert [(c.name) for c in book.authors] == ["Astrid Skrivare"]
    assert [c.name for c in book.contributors_in("illustrator")] == ["Ilse Bild"]
    assert (book.series, book.series_number) == ("Drakserien", 2)
    assert (book.language, book.page_count, book.publisher) == ("sv", 48, "Rabén & Sjögren")
    assert book.published_year == 2024
    assert (book.age_min, book.age_max, book.reading_age_min) == (6, 9, 7)
    assert (book.reading_level, book.is_easy_to_read) == ("Lättläst nivå 2", True)
    assert {"scheme": "thema", "code": "YFH", "heading": "Fantasy för barn"} in book.subjects
    assert any(s["scheme"] == "bic" for s in book.subjects)
    assert [f["code"] for f in book.accessibility] == ["11", "24"]
    assert book.cover_url == "https://covers.example/9789129688313.jpg"
    assert book.description == "Bibliotekariens text för barn."  # the librarian's blurb stays


def test_publisher_description_fills_an_empty_blurb():
    book = make_book("Tom", isbn=ISBN)
    import_onix(message(GOOD))
    book.refresh_from_db()
    assert book.description == "Förlagets text om draken."


def test_short_tags_are_read_like_reference_tags(book):
    short = f"""<?xml version="1.0"?><ONIXmessage release="3.0" xmlns="http://ns.editeur.org/onix/3.0/short">
<product><a001>kort.1</a001><productidentifier><b221>15</b221><b244>{ISBN}</b244></productidentifier>
<descriptivedetail><titledetail><b202>01</b202><titleelement><x409>01</x409><b203>Kort titel</b203></titleelement></titledetail>
<contributor><b034>1</b034><b035>A01</b035><b036>Kim Kort</b036></contributor>
<language><b253>01</b253><b252>eng</b252></language>
<audiencerange><b074>17</b074><b075>03</b075><b076>9</b076><b075>04</b075><b076>12</b076></audiencerange>
</descriptivedetail></product></ONIXmessage>""".encode()
    report = import_onix(short)
    assert report.updated == ["kort.1"]
    book.refresh_from_db()
    assert (book.title, book.language, book.age_min, book.age_max) == ("Kort titel", "en", 9, 12)
    assert [c.name for c in book.authors] == ["Kim Kort"]


def test_broken_records_are_reported_and_good_ones_still_import(book):
    make_book("Annan", isbn=OTHER_ISBN)
    with translation.override("en"):
        report = import_onix(
            message(
                product("bad-isbn", "9789129688314"),
                product("no-title", OTHER_ISBN, title=""),
                product("bad-age", OTHER_ISBN, age="sex"),
                product("adult", OTHER_ISBN, audience="01"),
                GOOD,
                product("no-book", "9780140449136"),
            )
        )
    errors = dict(report.errors)
    assert "not valid" in errors["bad-isbn"]
    assert "no title" in errors["no-title"]
    assert "whole number" in errors["bad-age"]
    assert "not children" in errors["adult"]
    assert report.updated == ["se.forlag.1"]
    assert report.unmatched == [("no-book", "9780140449136")]
    assert Book.objects.get(isbn=OTHER_ISBN).title == "Annan"
    assert Book.objects.get(isbn=ISBN).title == "Draken som åt glass"


def test_onix_changes_are_audited(book):
    import_onix(message(GOOD))
    change = AuditEntry.objects.get(action="imported")
    assert change.changes["title"] == ["Draken", "Draken som åt glass"]


def test_entities_in_onix_are_refused(book):
    evil = (
        message(GOOD)
        .replace(
            b'<?xml version="1.0" encoding="UTF-8"?>',
            b'<?xml version="1.0"?><!DOCTYPE ONIXMessage [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        )
        .replace(b"Draken som", b"&x; som")
    )
    with pytest.raises(OnixError):
        import_onix(evil)
    book.refresh_from_db()
    assert book.title == "Draken"


def test_file_that_is_not_onix_is_refused():
    with translation.override("en"), pytest.raises(OnixError, match="not an ONIX"):
        import_onix(b"<?xml version='1.0'?><rss/>")
    with translation.override("en"), pytest.raises(OnixError, match="not an ONIX"):
        import_onix(b"<?xml version='1.0'?><rss>" + GOOD.encode() + b"</rss>")
    with pytest.raises(OnixError):
        import_onix(b"<ONIXMessage><Product>")


def test_command_reports_each_record_and_fails_on_errors(book, tmp_path, capsys):
    path = tmp_path / "feed.xml"
    path.write_bytes(message(GOOD, product("bad-isbn", "123")))
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_onix", str(path))
    out = capsys.readouterr().out
    assert "ERROR bad-isbn" in out and "1 updated" in out


def test_truncated_file_is_refused_before_any_record_is_applied(book):
    # Read as a stream, the first product would be complete before the break: it must not apply.
    cut = message(GOOD, product("two", OTHER_ISBN)).replace(b"</ONIXMessage>", b"")
    with pytest.raises(OnixError):
        import_onix(cut)
    book.refresh_from_db()
    assert book.title == "Draken"


def test_dtd_written_inside_the_file_is_refused(book):
    inline = message(GOOD).replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0"?><!DOCTYPE ONIXMessage [<!ELEMENT ONIXMessage ANY>]>',
    )
    with translation.override("en"), pytest.raises(OnixError, match="DTD"):
        import_onix(inline)


def test_doctype_naming_an_external_dtd_is_read_without_loading_it(book):
    named = message(GOOD).replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0"?><!DOCTYPE ONIXMessage SYSTEM "http://www.editeur.org/onix.dtd">',
    )
    assert import_onix(named).updated == ["se.forlag.1"]


def test_products_are_read_one_at_a_time(book):
    from bibblix.catalogue.onix import parse_onix

    seen = []
    for element in parse_onix(message(GOOD, product("two", OTHER_ISBN), product("3", ISBN))):
        assert all(len(earlier) == 0 for earlier in seen)  # the ones before are cleared
        seen.append(element)
    assert len(seen) == 3


def test_file_given_by_path_is_streamed_from_disk(book, tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(message(GOOD))
    assert import_onix(path).updated == ["se.forlag.1"]


def test_a_running_import_shows_its_progress_in_the_job_list(book, monkeypatch):
    import uuid

    from bibblix.catalogue import onix_import
    from bibblix.jobs import progress
    from bibblix.jobs.models import TaskLease

    monkeypatch.setattr(onix_import, "PROGRESS_EVERY", 2)
    lease = TaskLease.objects.create(task_id=uuid.uuid4(), task_path="import_onix_file")
    seen = []
    original = progress.report
    monkeypatch.setattr(
        progress, "report", lambda done, total=None: seen.append(done) or original(done, total)
    )
    progress.set_current(lease.pk)
    try:
        import_onix(message(*(product(f"r{n}", f"978000000000{n}") for n in range(5))))
    finally:
        progress.set_current(None)
    assert seen == [2, 4, 5]
    lease.refresh_from_db()
    assert lease.progress_done == 5
