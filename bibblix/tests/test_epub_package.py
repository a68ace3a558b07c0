"""The one EPUB package reader (bibblix/lib/epub_package.py), on entries kept in a dict: the
catalogue's import and the reader's manifest both stand on what it reads."""

import pytest

from bibblix.lib import epub_package

CONTAINER = b"""<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""
OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:identifier id="isbn">urn:isbn:9789129657579</dc:identifier>
  <dc:identifier id="uid">urn:uuid:1234</dc:identifier>
  <dc:title id="t1">Pippi</dc:title>
  <dc:title id="t2">i Söderhavet</dc:title>
  <meta refines="#t2" property="title-type">subtitle</meta>
  <dc:creator id="a">Astrid Lindgren</dc:creator>
  <meta refines="#a" property="file-as">Lindgren, Astrid</meta>
  <dc:contributor id="i">Ingrid Vang Nyman</dc:contributor>
  <meta refines="#i" property="role" scheme="marc:relators">ill</meta>
  <dc:language>sv</dc:language>
  <meta property="dcterms:modified">2024-01-02T03:04:05Z</meta>
  <meta property="rendition:layout">pre-paginated</meta>
  {extra}
</metadata>
<manifest>
  <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
  <item id="c1" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
  <item id="img" href="images/cover.jpg" media-type="image/jpeg"/>
</manifest>
<spine page-progression-direction="rtl">
  <itemref idref="c1" properties="page-spread-left"/><itemref idref="gone"/>
</spine>
</package>"""
NAV = b"""<?xml version="1.0"?><!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>
<nav epub:type="toc"><ol><li><a href="text/chapter%201.xhtml#s1">Kapitel 1</a>
<ol><li><a href="text/chapter%201.xhtml#s2">Del 2</a></li></ol></li></ol></nav></body></html>"""


def entries(**changes) -> dict[str, bytes]:
    files = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/book.opf": OPF.format(extra='<meta name="cover" content="img"/>').encode(),
        "OEBPS/nav.xhtml": NAV,
    }
    files.update(changes)
    return {name: data for name, data in files.items() if data is not None}


def read(files: dict[str, bytes], **options) -> epub_package.Package:
    return epub_package.read_package(files.__getitem__, set(files), **options)


def test_metadata_manifest_spine_and_toc_are_read():
    package = read(entries(), with_toc=True)
    assert (package.title, package.subtitle) == ("Pippi", "i Söderhavet")
    assert package.identifier == "urn:uuid:1234"
    assert package.identifiers == ["urn:isbn:9789129657579", "urn:uuid:1234"]
    assert package.creators == [epub_package.Person("Astrid Lindgren", "", "Lindgren, Astrid")]
    assert package.contributors == [epub_package.Person("Ingrid Vang Nyman", "ill", "")]
    assert (package.language, package.layout, package.direction) == ("sv", "fixed", "rtl")
    assert package.modified == "2024-01-02T03:04:05Z"
    assert [item.href for item in package.spine] == ["OEBPS/text/chapter 1.xhtml"]
    assert package.spine[0].spine_properties == ["page-spread-left"]
    assert package.spine_length == 2
    assert package.cover.href == "OEBPS/images/cover.jpg"
    assert package.toc == [
        {
            "href": "OEBPS/text/chapter 1.xhtml#s1",
            "title": "Kapitel 1",
            "children": [{"href": "OEBPS/text/chapter 1.xhtml#s2", "title": "Del 2"}],
        }
    ]


def test_toc_is_read_only_when_asked():
    assert read(entries()).toc == []


def test_broken_navigation_document_is_no_toc_not_a_failure():
    assert read(entries(**{"OEBPS/nav.xhtml": b"<html><nav>"}), with_toc=True).toc == []


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"META-INF/container.xml": None}, "no_container"),
        ({"META-INF/container.xml": b"<container/>"}, "no_rootfile"),
        ({"OEBPS/book.opf": None}, "missing_package"),
        ({"OEBPS/book.opf": b"<html/>"}, "not_package"),
        ({"OEBPS/book.opf": b"<package xmlns='http://www.idpf.org/2007/opf'/>"}, "no_metadata"),
    ],
)
def test_structural_problems_name_their_reason(changes, reason):
    with pytest.raises(epub_package.PackageError) as caught:
        read(entries(**changes))
    assert caught.value.reason == reason


def test_hostile_package_xml_is_refused_by_the_guard_and_names_the_entry():
    evil = b'<?xml version="1.0"?><!DOCTYPE package [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(epub_package.PackageError) as caught:
        read(entries(**{"OEBPS/book.opf": evil + b"<package>&x;</package>"}))
    assert caught.value.reason == "xml" and caught.value.entry == "OEBPS/book.opf"
    assert caught.value.refused.reason == "entities"
