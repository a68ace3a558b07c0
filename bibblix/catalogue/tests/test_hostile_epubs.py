"""Each hostile EPUB is refused with a clear message, and nothing is stored: no row, no file."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from bibblix.catalogue import epub
from bibblix.catalogue.importing import EpubError, import_epub
from bibblix.catalogue.models import Book

from .epubs import CONTAINER, build_epub, opf, write

pytestmark = pytest.mark.django_db

AES = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
FONT = "http://www.idpf.org/2008/embedding"


def encryption_xml(algorithm: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
<enc:EncryptedData><enc:EncryptionMethod Algorithm="{algorithm}"/>
<enc:CipherData><enc:CipherReference URI="EPUB/chapter-1.xhtml"/></enc:CipherData>
</enc:EncryptedData></encryption>"""


def refused(tmp_path, data: bytes) -> str:
    with translation.override("en"), pytest.raises(EpubError) as caught:
        import_epub(write(tmp_path, data))
    assert Book.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    return str(caught.value)


def test_entry_that_unpacks_far_beyond_its_size_is_a_zip_bomb(tmp_path):
    bomb = build_epub(extra={"EPUB/zeros.xhtml": b"\0" * (3 * 1024 * 1024)})
    assert "zip bomb" in refused(tmp_path, bomb)


def test_entry_larger_than_the_entry_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(epub, "MAX_ENTRY_UNCOMPRESSED", 50_000)
    big = build_epub(extra={"EPUB/big.xhtml": bytes(range(256)) * 400})
    assert "too large when unpacked" in refused(tmp_path, big)


def test_archive_larger_than_the_total_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(epub, "MAX_TOTAL_UNCOMPRESSED", 60_000)
    many = build_epub(extra={f"EPUB/part-{i}.css": bytes(range(256)) * 80 for i in range(4)})
    assert "too large when unpacked" in refused(tmp_path, many)


def test_too_many_entries_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(epub, "MAX_ENTRIES", 10)
    crowded = build_epub(extra={f"EPUB/{i}.txt": "x" for i in range(20)})
    assert "too many entries" in refused(tmp_path, crowded)


@pytest.mark.parametrize("name", ["../../evil.xhtml", "/etc/evil", "EPUB\\..\\evil", "C:/evil"])
def test_path_traversal_entry_names_are_refused(tmp_path, name):
    assert "unsafe path" in refused(tmp_path, build_epub(extra={name: "boo"}))


def test_xml_external_entity_is_refused(tmp_path):
    package = (
        opf()
        .replace(
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<?xml version="1.0"?><!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        )
        .replace("<dc:title>Testboken", "<dc:title>&xxe;")
    )
    assert "entities" in refused(tmp_path, build_epub(package=package))


def test_xml_entity_hidden_in_utf16_is_refused(tmp_path):
    package = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        '<!DOCTYPE package [<!ENTITY lol "lol">]>'
        + opf().split("?>", 1)[1].replace("Testboken", "&lol;")
    )
    assert "entities" in refused(tmp_path, build_epub(package=package.encode("utf-16")))


def test_external_dtd_is_refused(tmp_path):
    package = opf().replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE package SYSTEM "http://evil.example/p.dtd">',
    )
    assert "DTD" in refused(tmp_path, build_epub(package=package))


def test_missing_container_is_refused(tmp_path):
    message = refused(tmp_path, build_epub(drop=("META-INF/container.xml",)))
    assert "container.xml" in message


def test_missing_package_document_is_refused(tmp_path):
    message = refused(tmp_path, build_epub(drop=("EPUB/package.opf",)))
    assert "package document" in message and "missing" in message


def test_broken_package_document_is_refused(tmp_path):
    broken = opf().replace("</metadata>", "")
    assert "not well-formed" in refused(tmp_path, build_epub(package=broken))


def test_package_without_title_is_refused(tmp_path):
    untitled = opf().replace("<dc:title>Testboken</dc:title>", "")
    assert "no title" in refused(tmp_path, build_epub(package=untitled))


def test_container_without_rootfile_is_refused(tmp_path):
    empty = CONTAINER.replace(
        '<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>', ""
    )
    assert "package document" in refused(tmp_path, build_epub(container=empty))


def test_encrypted_content_is_refused_as_drm(tmp_path):
    locked = build_epub(extra={"META-INF/encryption.xml": encryption_xml(AES)})
    assert "DRM" in refused(tmp_path, locked)


def test_rights_file_is_refused_as_drm(tmp_path):
    locked = build_epub(extra={"META-INF/rights.xml": "<rights/>"})
    assert "DRM" in refused(tmp_path, locked)


def test_font_obfuscation_alone_is_not_drm(tmp_path):
    book, _ = import_epub(
        write(tmp_path, build_epub(extra={"META-INF/encryption.xml": encryption_xml(FONT)}))
    )
    assert book.title == "Testboken"


def test_file_that_is_not_a_zip_is_refused(tmp_path):
    assert "not a ZIP" in refused(tmp_path, b"%PDF-1.7 not an epub")


def test_password_protected_zip_entry_is_refused(tmp_path):
    data = bytearray(build_epub())
    # Set the "encrypted" flag bit of every entry, as a password-protected ZIP has.
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    for info in archive.infolist():
        for offset in (info.header_offset + 6,):
            data[offset] |= 0x01
    central = bytes(data).find(b"PK\x01\x02")
    while central != -1:
        data[central + 8] |= 0x01
        central = bytes(data).find(b"PK\x01\x02", central + 4)
    message = refused(tmp_path, bytes(data))
    assert "DRM" in message or "damaged" in message


def test_wrong_mimetype_is_refused(tmp_path):
    assert "mimetype" in refused(tmp_path, build_epub(extra={"mimetype": "application/zip"}))


def test_a_database_failure_removes_the_files_already_stored(tmp_path, monkeypatch):
    from bibblix.catalogue import importing

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importing, "_set_contributors", fail)
    with pytest.raises(RuntimeError):
        import_epub(write(tmp_path, build_epub()))
    assert Book.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
