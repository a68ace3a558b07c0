"""The one XML guard (bibblix/lib/xml.py): hostile or broken input ends in XMLRefused, through
`parse` and through the streaming `iterparse` alike."""

import io

import pytest

from bibblix.lib import xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol4;</lolz>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<r>&xxe;</r>"""
INTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ELEMENT r (#PCDATA)><!ATTLIST r admin CDATA "yes">]>
<r>hej</r>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE r SYSTEM "http://evil.example/r.dtd">
<r>hej</r>"""


def streamed(data: bytes, **options) -> list[str]:
    return [element.tag for event, element in xml.iterparse(io.BytesIO(data), **options)]


def checked(data: bytes, **options) -> None:
    return xml.check(io.BytesIO(data), **options)


ALL_THREE = pytest.mark.parametrize(
    "read", [xml.parse, streamed, checked], ids=["parse", "iterparse", "check"]
)


def refusal(read, data: bytes, **options) -> str:
    with pytest.raises(xml.XMLRefused) as caught:
        read(data, **options)
    return caught.value.reason


@ALL_THREE
def test_billion_laughs_is_refused(read):
    assert refusal(read, BILLION_LAUGHS) == "entities"


@ALL_THREE
def test_external_entity_is_refused_and_the_file_is_not_read(read):
    assert refusal(read, EXTERNAL_ENTITY) == "entities"


def test_entity_declared_in_utf16_is_refused_after_parsing():
    # The byte check cannot see "<!ENTITY" in UTF-16: the parsed doctype is asked as well.
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'
    assert refusal(xml.parse, data.encode("utf-16")) == "entities"


@ALL_THREE
def test_internal_dtd_is_refused(read):
    assert refusal(read, INTERNAL_DTD) == "dtd"


@pytest.mark.parametrize("read", [xml.parse, streamed], ids=["parse", "iterparse"])
def test_external_dtd_is_refused_unless_the_caller_allows_a_reference(read):
    assert refusal(read, EXTERNAL_DTD) == "dtd"
    # Allowed, it is still never loaded: the document is read as it stands.
    assert read(EXTERNAL_DTD, allow_dtd_reference=True) is not None


@ALL_THREE
def test_oversize_input_is_refused(read):
    data = b"<r>" + b"x" * 2000 + b"</r>"
    assert refusal(read, data, max_bytes=1000) == "too_large"


@pytest.mark.parametrize(
    "data", [b"", b"not xml at all", b"<r><unclosed></r>", b"%PDF-1.7", b"<?xml version='1.0'?>"]
)
@ALL_THREE
def test_what_is_not_xml_is_refused(read, data):
    assert refusal(read, data) == "not_xml"


def test_text_instead_of_bytes_is_refused():
    assert refusal(xml.parse, "<r/>") == "not_xml"


def test_plain_html5_doctype_passes():
    root = xml.parse(b"<!DOCTYPE html><html xmlns='http://www.w3.org/1999/xhtml'><p>a</p></html>")
    assert root.tag == "{http://www.w3.org/1999/xhtml}html"


def test_good_xml_is_read_whole_and_as_a_stream():
    data = b"<r><a>1</a><a>2</a></r>"
    assert [a.text for a in xml.parse(data)] == ["1", "2"]
    assert streamed(data) == ["r", "a", "a", "a", "a", "r"]


def test_a_stream_can_be_read_from_a_path(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(b"<r><a/></r>")
    assert [event for event, _element in xml.iterparse(path)] == ["start", "start", "end", "end"]
    assert [event for event, _element in xml.iterparse(str(path))] == [
        "start",
        "start",
        "end",
        "end",
    ]


def test_check_reads_a_whole_document_without_building_it(tmp_path):
    data = b"<r>" + b"<a>x</a>" * 10_000 + b"</r>"
    assert checked(data) is None
    path = tmp_path / "big.xml"
    path.write_bytes(data)
    assert xml.check(path) is None
    assert refusal(checked, data[:-1]) == "not_xml"  # cut short at the very end


def test_a_stream_can_be_limited_to_some_tags_in_any_namespace():
    data = b"<r xmlns='urn:x'><h/><p>1</p><q/><p>2</p></r>"
    events = xml.iterparse(io.BytesIO(data), tag="{*}p")
    assert [(event, element.text) for event, element in events if event == "end"] == [
        ("end", "1"),
        ("end", "2"),
    ]
