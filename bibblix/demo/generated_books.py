"""Generated demo books: small but valid EPUB 3 files and covers made by the project itself.

A clone without ../shared/ still has readable books, and the demo catalogue reaches the 3,000
titles of the real service. Every generated title is marked `is_generated` and says so (a
badge on its page; the flag orders nothing).
"""

import io
import random
import zipfile
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

ADJECTIVES = [
    "Den hemliga",
    "Den försvunna",
    "Den magiska",
    "Den lilla",
    "Den modiga",
    "Den glömda",
    "Den flygande",
    "Den osynliga",
    "Den sista",
    "Den stora",
    "Den knasiga",
    "Den mystiska",
]
NOUNS = [
    "draken",
    "skattkartan",
    "katten",
    "fyren",
    "ponnyn",
    "rymdraketen",
    "trädkojan",
    "hunden",
    "spökslottet",
    "dinosaurien",
    "robotten",
    "sjöjungfrun",
    "tomten",
    "ugglan",
    "bussen",
    "nyckeln",
]
PLACES = [
    "i Ale",
    "på Orust",
    "i skolan",
    "under sängen",
    "i skogen",
    "på månen",
    "vid havet",
    "i biblioteket",
    "i Borås",
    "på landet",
    "i staden",
    "i snön",
]
COLOURS = [
    (231, 76, 60),
    (52, 152, 219),
    (46, 204, 113),
    (155, 89, 182),
    (241, 196, 15),
    (230, 126, 34),
    (26, 188, 156),
    (52, 73, 94),
    (233, 30, 99),
    (0, 150, 136),
    (121, 85, 72),
    (63, 81, 181),
]
FIRST_NAMES = [
    "Alva",
    "Omar",
    "Elsa",
    "Noah",
    "Maja",
    "Liam",
    "Saga",
    "Leo",
    "Ines",
    "Hugo",
    "Ebba",
    "Sami",
]
LAST_NAMES = [
    "Berg",
    "Lind",
    "Nilsson",
    "Ahmed",
    "Holm",
    "Ek",
    "Sandberg",
    "Karlsson",
    "Virtanen",
    "Ali",
]

TEMPLATE_COUNT = len(COLOURS)
LANGUAGE = "sv"  # the titles, authors' names and chapters are Swedish


def generated_title(number: int) -> str:
    rng = random.Random(number)
    return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(PLACES)}"


def generated_author(number: int) -> str:
    rng = random.Random(number * 7919)
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def make_cover(title: str, colour: tuple[int, int, int], width: int = 400) -> bytes:
    """A plain cover: a coloured page with the title, marked as a demo title."""
    height = width * 3 // 2
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=width // 11)
    small = ImageFont.load_default(size=width // 20)
    words, lines, line = title.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) > width * 0.85 and line:
            lines.append(line)
            line = word
        else:
            line = trial
    lines.append(line)
    y = height // 4
    for text in lines:
        draw.text(
            ((width - draw.textlength(text, font=font)) / 2, y), text, font=font, fill="white"
        )
        y += width // 9
    label = "DEMOTITEL"
    draw.text(
        ((width - draw.textlength(label, font=small)) / 2, height - width // 6),
        label,
        font=small,
        fill="white",
    )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


CHAPTER_TEXT = [
    "Det var en helt vanlig tisdag när allt började. {hero} satt vid köksbordet och åt flingor "
    "när det knackade på fönstret. Utanför stod något som ingen hade sett förut.",
    "– Hej, sa {hero} försiktigt. Vem är du? Svaret kom som en viskning, och sedan började "
    "äventyret på riktigt. De sprang genom trädgården, över ängen och ända bort till bäcken.",
    "När solen gick ner satt de tillsammans på en sten och tittade på himlen. {hero} visste att "
    "ingenting skulle bli som förut. Och det var precis så det skulle vara.",
]


def make_epub(number: int, title: str, author: str, language: str = LANGUAGE) -> bytes:
    """A valid EPUB 3 with a cover, a navigation document and three short chapters."""
    colour = COLOURS[number % len(COLOURS)]
    hero = FIRST_NAMES[number % len(FIRST_NAMES)]
    identifier = f"urn:bibblix:generated:{number}"
    chapters = []
    for index, text in enumerate(CHAPTER_TEXT, start=1):
        paragraphs = "".join(f"<p>{escape(text.format(hero=hero))}</p>" for _ in range(6))
        chapters.append(
            (
                f"chapter-{index}.xhtml",
                f"""<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{language}" xml:lang="{language}">
<head><title>Kapitel {index}</title></head>
<body><section epub:type="chapter"><h1>Kapitel {index}</h1>{paragraphs}</section></body>
</html>""",
            )
        )
    nav_items = "".join(
        f'<li><a href="{name}">Kapitel {i}</a></li>' for i, (name, _) in enumerate(chapters, 1)
    )
    nav = f"""<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{language}" xml:lang="{language}">
<head><title>Innehåll</title></head>
<body><nav epub:type="toc" id="toc"><h1>Innehåll</h1><ol>{nav_items}</ol></nav></body>
</html>"""
    manifest = "".join(
        f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, (name, _) in enumerate(chapters, 1)
    )
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(1, len(chapters) + 1))
    opf = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="{language}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">{identifier}</dc:identifier>
<dc:title>{escape(title)}</dc:title>
<dc:creator id="author">{escape(author)}</dc:creator>
<meta refines="#author" property="role" scheme="marc:relators">aut</meta>
<dc:language>{language}</dc:language>
<dc:publisher>Bibblix demodata</dc:publisher>
<dc:description>En påhittad demotitel som Bibblix har genererat.</dc:description>
<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="cover" href="cover.png" media-type="image/png" properties="cover-image"/>
{manifest}
</manifest>
<spine>{spine}</spine>
</package>"""
    container = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/container.xml", container, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("EPUB/package.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("EPUB/nav.xhtml", nav, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(
            "EPUB/cover.png", make_cover(title, colour), compress_type=zipfile.ZIP_STORED
        )
        for name, body in chapters:
            archive.writestr(f"EPUB/{name}", body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
