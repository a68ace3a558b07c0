"""ONIX for Books 3.0: reading publishers' metadata feeds (reference or short tags) safely.

Each <Product> is read on its own: a broken record is reported with its RecordReference and the
reason, and the good records still import. The file is read as a stream through the one XML guard
(bibblix/lib/xml.py): no entities, no DTD loading, no network, one product in memory at a time. Code lists referred to below are EDItEUR's ONIX code lists by number.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from bibblix.lib import xml
from bibblix.lib.languages import normalise_language

from .models import normalise_isbn
from .onix_codes import ROLES, SCHEMES, SHORT_TAGS

MAX_ONIX_BYTES = 200 * 1024 * 1024

# The Swedish reading level. ONIX has no Swedish easy-to-read scheme (List 29 has AVI and
# Lexile, not lättläst), so Swedish publishers send it in one of two ways, and we read both:
# 1. <Audience> with AudienceCodeType 02 (proprietary) whose AudienceCodeTypeName names it
#    ("Lättläst", "LL-nivå", "Läsnivå") and whose AudienceCodeValue is the level ("1".."3", or
#    "Lättläst nivå 2");
# 2. a phrase "lättläst nivå N" (or "LL-nivå N", "läsnivå N") in <AudienceDescription> or in
#    a TextContent note. Either way the book is marked easy to read, with "Lättläst nivå N".
READING_LEVEL = re.compile(r"(?:l[äa]ttl[äa]st|ll|l[äa]s)[\s-]*niv[åa]\s*(\d)", re.I)
READING_LEVEL_SCHEME = re.compile(r"l[äa]ttl[äa]st|ll-niv|l[äa]sniv", re.I)


class OnixError(Exception):
    """A whole ONIX file, or one record in it, cannot be read; the message says why."""


@dataclass
class OnixProduct:
    reference: str
    isbn: str
    title: str
    subtitle: str = ""
    # TitleDetail types 03 (original language), 06 (other language), 08 (former title) and
    # 11 (alternative title on the cover): names a child may search the book by.
    other_titles: list[str] = field(default_factory=list)
    contributors: list[tuple[str, str]] = field(default_factory=list)  # (name, role)
    series: str = ""
    series_number: int | None = None
    language: str = ""
    subjects: list[dict] = field(default_factory=list)
    is_for_children: bool | None = None
    age_min: int | None = None
    age_max: int | None = None
    reading_age_min: int | None = None
    reading_level: str = ""
    description: str = ""
    accessibility: list[dict] = field(default_factory=list)
    cover_url: str = ""
    publisher: str = ""
    published_year: int | None = None
    page_count: int | None = None


_REFUSALS = {
    "too_large": gettext_lazy("The ONIX file is too large."),
    "entities": gettext_lazy("The ONIX file declares XML entities, which are not allowed."),
    "dtd": gettext_lazy("The ONIX file declares a DTD of its own, which is not allowed."),
}


def _stream(source: bytes | str | Path):
    return io.BytesIO(source) if isinstance(source, bytes) else source


def _refused(refused: xml.XMLRefused) -> OnixError:
    if refused.reason in _REFUSALS:
        return OnixError(_REFUSALS[refused.reason])
    return OnixError(_("The ONIX file is not well-formed XML: %(error)s") % {"error": refused})


def _local(element: etree._Element) -> str:
    local = etree.QName(element).localname
    return SHORT_TAGS.get(local, local)


def _check_root(root: etree._Element) -> None:
    if _local(root) != "ONIXMessage":
        raise OnixError(_("The file is not an ONIX for Books message."))
    if root.get("release", "3.0").split(".")[0] != "3":
        raise OnixError(_("Only ONIX for Books 3.0 is supported."))


def parse_onix(source: bytes | str | Path) -> Iterator[etree._Element]:
    """The <Product> elements of an ONIX 3.0 message (bytes or a path), one at a time and with
    tags normalised to reference names; each is cleared once the next is asked for. The whole
    file is checked first (without building it), and the doctype and root before the first
    product, so a broken or hostile file is refused (OnixError) before any record is applied."""
    try:
        xml.check(_stream(source), max_bytes=MAX_ONIX_BYTES)
    except xml.XMLRefused as refused:
        raise _refused(refused) from refused
    return _products(source)


# The root and the records, in reference or short tags, in any namespace.
_STREAMED = ["{*}ONIXMessage", "{*}ONIXmessage", "{*}Product", "{*}product"]


def _products(source: bytes | str | Path) -> Iterator[etree._Element]:
    # A DOCTYPE naming ONIX's public DTD is common in real feeds and harmless here (the guard
    # never loads it); a DTD written inside the file, and declared entities, are refused.
    stream = _stream(source)
    events = xml.iterparse(
        stream, tag=_STREAMED, max_bytes=MAX_ONIX_BYTES, allow_dtd_reference=True
    )
    root = None
    try:
        for event, element in events:
            if root is None:
                root = element
                _check_root(root)
            elif event == "end" and element.getparent() is root:
                for node in element.iter(etree.Element):
                    node.tag = _local(node)
                yield element
                # Read: drop it and what came before (the header), so memory stays small.
                element.clear()
                while element.getprevious() is not None:
                    del root[0]
    except xml.XMLRefused as refused:
        raise _refused(refused) from refused
    if root is None:
        raise OnixError(_("The file is not an ONIX for Books message."))


def _text(element: etree._Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def _int(value: str, what: str) -> int | None:
    if not value:
        return None
    if not value.strip().isdigit():
        raise OnixError(
            _("%(what)s is not a whole number: %(value)s") % {"what": what, "value": value}
        )
    return int(value)


def read_product(product: etree._Element) -> OnixProduct:
    """One <Product> as an OnixProduct; raises OnixError saying what is wrong with it."""
    reference = _text(product, "RecordReference")
    if not reference:
        raise OnixError(_("The record has no RecordReference."))
    isbn = _read_isbn(product)
    detail = product.find("DescriptiveDetail")
    title_element = _title_element(detail)
    title = _text(title_element, "TitleText") or " ".join(
        filter(
            None, [_text(title_element, "TitlePrefix"), _text(title_element, "TitleWithoutPrefix")]
        )
    )
    if not title:
        raise OnixError(_("The record has no title."))
    item = OnixProduct(reference=reference, isbn=isbn, title=title[:300])
    item.subtitle = _text(title_element, "Subtitle")[:300]
    item.other_titles = _other_titles(detail, item.title)
    _read_people(detail, item)
    _read_series(detail, item)
    _read_language_and_extent(detail, item)
    _read_subjects(detail, item)
    _read_audience(detail, item)
    _read_accessibility(detail, item)
    _read_collateral(product.find("CollateralDetail"), item)
    _read_publishing(product.find("PublishingDetail"), item)
    return item


def _read_isbn(product) -> str:
    for identifier in product.findall("ProductIdentifier"):
        if _text(identifier, "ProductIDType") in {"15", "03", "02"}:
            value = _text(identifier, "IDValue")
            isbn = normalise_isbn(value)
            if not isbn:
                raise OnixError(_("The ISBN %(value)s is not valid.") % {"value": value})
            return isbn
    raise OnixError(_("The record has no ISBN."))


OTHER_TITLE_TYPES = {"03", "06", "08", "11"}


def _other_titles(detail, title: str) -> list[str]:
    found = []
    for title_detail in detail.findall("TitleDetail") if detail is not None else []:
        if _text(title_detail, "TitleType") not in OTHER_TITLE_TYPES:
            continue
        for element in title_detail.findall("TitleElement"):
            text = _text(element, "TitleText") or " ".join(
                filter(None, [_text(element, "TitlePrefix"), _text(element, "TitleWithoutPrefix")])
            )
            if text and text != title and text not in found:
                found.append(text[:300])
    return found


def _title_element(detail):
    for title_detail in detail.findall("TitleDetail") if detail is not None else []:
        if _text(title_detail, "TitleType") in {"01", ""}:
            for element in title_detail.findall("TitleElement"):
                if _text(element, "TitleElementLevel") in {"01", ""}:
                    return element
    return None


def _read_people(detail, item: OnixProduct) -> None:
    people = detail.findall("Contributor") if detail is not None else []
    people.sort(key=lambda c: int(_text(c, "SequenceNumber") or 999))
    for person in people:
        roles = [
            ROLES.get("".join(r.itertext()).strip()) for r in person.findall("ContributorRole")
        ]
        role = next((r for r in roles if r), None)
        name = _text(person, "PersonName") or " ".join(
            filter(None, [_text(person, "NamesBeforeKey"), _text(person, "KeyNames")])
        )
        name = name or _text(person, "CorporateName")
        if role and name:
            item.contributors.append((name[:200], role))


def _read_series(detail, item: OnixProduct) -> None:
    for collection in detail.findall("Collection") if detail is not None else []:
        for element in collection.iter("TitleElement"):
            if _text(element, "TitleElementLevel") == "02":
                item.series = _text(element, "TitleText")[:200]
                number = _text(element, "PartNumber")
                item.series_number = int(number) if number.isdigit() else None
                return


def _read_language_and_extent(detail, item: OnixProduct) -> None:
    for language in detail.findall("Language") if detail is not None else []:
        if _text(language, "LanguageRole") in {"01", ""}:
            item.language = normalise_language(_text(language, "LanguageCode"), default="")
            break
    for extent in detail.findall("Extent") if detail is not None else []:
        # List 23 type 00/07/08 (main content, total, content) counted in pages (List 24: 03).
        if (
            _text(extent, "ExtentType") in {"00", "07", "08"}
            and _text(extent, "ExtentUnit") == "03"
        ):
            item.page_count = _int(_text(extent, "ExtentValue"), "ExtentValue")
            break


def _read_subjects(detail, item: OnixProduct) -> None:
    for subject in detail.findall("Subject") if detail is not None else []:
        scheme = SCHEMES.get(_text(subject, "SubjectSchemeIdentifier"))
        if scheme:
            item.subjects.append(
                {
                    "scheme": scheme,
                    "code": _text(subject, "SubjectCode"),
                    "heading": _text(subject, "SubjectHeadingText"),
                }
            )


def _read_audience(detail, item: OnixProduct) -> None:
    if detail is None:
        return
    # List 28: 02 children/juvenile; 03 teenage; 01 general/adult.
    codes = [_text(a, ".") for a in detail.findall("AudienceCode")]
    for audience in detail.findall("Audience"):
        kind, value = _text(audience, "AudienceCodeType"), _text(audience, "AudienceCodeValue")
        if kind == "01":
            codes.append(value)
        elif kind == "02" and READING_LEVEL_SCHEME.search(_text(audience, "AudienceCodeTypeName")):
            level = READING_LEVEL.search(value)
            digit = level.group(1) if level else value.strip()
            if digit.isdigit():
                item.reading_level = f"Lättläst nivå {digit}"
    if codes:
        item.is_for_children = any(code in {"02", "03"} for code in codes)
    for age_range in detail.findall("AudienceRange"):
        qualifier = _text(age_range, "AudienceRangeQualifier")
        low, high = _range(age_range)
        if qualifier == "17":  # interest age, years
            item.age_min, item.age_max = low, high
        elif qualifier == "18":  # reading age, years
            item.reading_age_min = low
    _reading_level_from_text(_text(detail, "AudienceDescription"), item)


def _range(age_range) -> tuple[int | None, int | None]:
    # List 31: 01 exact, 03 from, 04 to; precision and value come in pairs.
    low = high = None
    pairs = zip(
        age_range.findall("AudienceRangePrecision"),
        age_range.findall("AudienceRangeValue"),
        strict=False,
    )
    for precision, value in pairs:
        number = _int("".join(value.itertext()).strip(), "AudienceRangeValue")
        kind = "".join(precision.itertext()).strip()
        if kind in {"01", "03"}:
            low = number
        if kind in {"01", "04"}:
            high = number
    return low, high


def _reading_level_from_text(text: str, item: OnixProduct) -> None:
    match = READING_LEVEL.search(text or "")
    if match and not item.reading_level:
        item.reading_level = f"Lättläst nivå {match.group(1)}"


def _read_accessibility(detail, item: OnixProduct) -> None:
    # ProductFormFeatureType 09: e-publication accessibility detail, values from List 196.
    for feature in detail.findall("ProductFormFeature") if detail is not None else []:
        if _text(feature, "ProductFormFeatureType") == "09":
            item.accessibility.append(
                {
                    "code": _text(feature, "ProductFormFeatureValue"),
                    "description": _text(feature, "ProductFormFeatureDescription"),
                }
            )


def _read_collateral(collateral, item: OnixProduct) -> None:
    if collateral is None:
        return
    texts = {}
    for content in collateral.findall("TextContent"):
        texts.setdefault(_text(content, "TextType"), _text(content, "Text"))
        _reading_level_from_text(_text(content, "Text"), item)
    # List 153: 03 description, 02 short description.
    item.description = texts.get("03") or texts.get("02") or ""
    for resource in collateral.findall("SupportingResource"):
        # List 158: 01 front cover; List 159: 03 image.
        if _text(resource, "ResourceContentType") == "01":
            link = _text(resource, "ResourceVersion/ResourceLink")
            if link.startswith(("https://", "http://")):
                item.cover_url = link[:500]
                break


def _read_publishing(publishing, item: OnixProduct) -> None:
    if publishing is None:
        return
    for publisher in publishing.findall("Publisher"):
        if _text(publisher, "PublishingRole") in {"01", ""}:
            item.publisher = _text(publisher, "PublisherName")[:200]
            break
    for date in publishing.findall("PublishingDate"):
        value = _text(date, "Date")
        if _text(date, "PublishingDateRole") in {"01", "19"} and re.match(r"^\d{4}", value):
            item.published_year = int(value[:4])
            break
