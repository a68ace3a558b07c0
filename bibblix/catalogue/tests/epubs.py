"""Builders for EPUB files in tests: a small valid book, and ways to make it hostile."""

import io
import zipfile

from bibblix.demo import generated_books as generated

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""


def opf(title="Testboken", identifier="urn:uuid:test-1", isbn="", extra_meta="", layout="") -> str:
    isbn_line = f'<dc:identifier id="isbn">urn:isbn:{isbn}</dc:identifier>' if isbn else ""
    layout_line = f'<meta property="rendition:layout">{layout}</meta>' if layout else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">{identifier}</dc:identifier>{isbn_line}
<dc:title>{title}</dc:title>
<dc:creator id="a1">Astrid Testsson</dc:creator>
<meta refines="#a1" property="role" scheme="marc:relators">aut</meta>
<dc:contributor id="i1">Ilse Bildmakare</dc:contributor>
<meta refines="#i1" property="role" scheme="marc:relators">ill</meta>
<dc:language>sv</dc:language>
<dc:publisher>Testförlaget</dc:publisher>
<dc:date>2024-05-01</dc:date>
<dc:description>En bok för tester.</dc:description>
{layout_line}{extra_meta}
</metadata>
<manifest>
<item id="cover" href="cover.png" media-type="image/png" properties="cover-image"/>
<item id="c1" href="chapter-1.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine><itemref idref="c1"/></spine>
</package>"""


CHAPTER = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>1</title></head>
<body><p>{text}</p></body></html>"""


def build_epub(
    *,
    package: str | None = None,
    container: str | None = CONTAINER,
    extra: dict[str, bytes | str] | None = None,
    drop: tuple[str, ...] = (),
    text: str = "Det var en gång en drake. " * 200,
) -> bytes:
    """A small valid EPUB 3 (with a PNG cover), changed by the arguments."""
    entries: dict[str, bytes | str] = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": container,
        "EPUB/package.opf": package if package is not None else opf(),
        "EPUB/chapter-1.xhtml": CHAPTER.format(text=text),
        "EPUB/cover.png": generated.make_cover("Testboken", (200, 40, 40)),
    }
    entries.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            if name in drop or body is None:
                continue
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), body, compress_type=compress)
    return out.getvalue()


def write(tmp_path, data: bytes, name: str = "book.epub"):
    path = tmp_path / name
    path.write_bytes(data)
    return path
