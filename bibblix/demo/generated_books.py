"""Generated demo books: small but valid EPUB 3 files and covers made by the project itself.

A clone without ../shared/ still has readable books, and the demo catalogue reaches the 3,000
titles of the real service. Every generated title is marked `is_generated` and says so (a
badge on its page; the flag orders nothing).
"""

import io
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

# Weak adjective forms: they follow "Den"/"Det" and a definite noun ("Den hemliga draken").
ADJECTIVES = [
    "hemliga",
    "försvunna",
    "magiska",
    "lilla",
    "modiga",
    "glömda",
    "flygande",
    "osynliga",
    "sista",
    "stora",
    "knasiga",
    "mystiska",
]
# (definite noun, neuter?): a neuter noun takes "Det" ("Det hemliga spökslottet").
NOUNS = [
    ("draken", False),
    ("skattkartan", False),
    ("katten", False),
    ("fyren", False),
    ("ponnyn", False),
    ("rymdraketen", False),
    ("trädkojan", False),
    ("hunden", False),
    ("spökslottet", True),
    ("dinosaurien", False),
    ("roboten", False),
    ("sjöjungfrun", False),
    ("tomten", False),
    ("ugglan", False),
    ("bussen", False),
    ("nyckeln", False),
    ("tåget", True),
    ("huset", True),
    ("ägget", True),
    ("lejonet", True),
    ("monstret", True),
    ("cykeln", False),
    ("ballongen", False),
    ("piraten", False),
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


def _all_titles() -> list[str]:
    titles = []
    for adjective in ADJECTIVES:
        for noun, neuter in NOUNS:
            for place in PLACES:
                titles.append(f"{'Det' if neuter else 'Den'} {adjective} {noun} {place}")
    return titles


TITLES = _all_titles()  # 3,456: enough for the demo's 3,000 books without a repeat
STRIDE = 7919  # a prime that does not divide len(TITLES): numbers 1…len(TITLES) map one-to-one


def generated_title(number: int) -> str:
    """A grammatical Swedish title, different for every number up to len(TITLES) (after that a
    sequel number is added, so a title still never repeats)."""
    title = TITLES[(number * STRIDE) % len(TITLES)]
    sequel = (number - 1) // len(TITLES) if number > 0 else 0
    return f"{title} {sequel + 1}" if sequel else title


def generated_author(number: int) -> str:
    rng = random.Random(number * 7919)
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


FONT_FILE = (
    Path(__file__).resolve().parents[2]
    / "frontend/node_modules/@fontsource/atkinson-hyperlegible/files"
    / "atkinson-hyperlegible-latin-700-normal.woff"
)


def _font(size: int):
    """The app's own typeface when the npm parts are installed, else Pillow's built-in one."""
    try:
        return ImageFont.truetype(str(FONT_FILE), size)
    except OSError:
        return ImageFont.load_default(size=size)


def _wrap(draw, text: str, font, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) > width and line:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + [line]


def make_cover(
    title: str,
    colour: tuple[int, int, int],
    width: int = 400,
    author: str = "",
    image_format: str = "PNG",
) -> bytes:
    """A demo cover: the title large on a coloured page with a few shapes, the author under it
    and a small "DEMOTITEL" at the foot, so that every generated book looks like itself."""
    height = width * 3 // 2
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 60) for c in colour)
    dark = tuple(max(0, c - 60) for c in colour)
    rng = random.Random(title)
    for _ in range(3):  # soft bubbles, different for every title
        radius = rng.randint(width // 8, width // 3)
        x, y = rng.randint(0, width), rng.randint(0, height // 2)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=light)
    draw.rectangle((0, height * 3 // 4, width, height), fill=dark)
    # Dark letters on a bright colour (yellow, green), white ones on the others.
    bright = (0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]) > 150
    ink, shade = ((30, 30, 40), light) if bright else ("white", dark)
    font, small = _font(width // 9), _font(width // 18)
    lines = _wrap(draw, title, font, width * 0.84)
    step = width // 8
    y = max(width // 10, height * 3 // 8 - step * len(lines) // 2)
    for text in lines:
        x = (width - draw.textlength(text, font=font)) / 2
        draw.text((x + 2, y + 2), text, font=font, fill=shade)
        draw.text((x, y), text, font=font, fill=ink)
        y += step
    if author:
        x = (width - draw.textlength(author, font=small)) / 2
        draw.text((x, height * 3 // 4 + width // 12), author, font=small, fill="white")
    label = "DEMOTITEL"
    draw.text(
        ((width - draw.textlength(label, font=small)) / 2, height - width // 7),
        label,
        font=small,
        fill=light,
    )
    out = io.BytesIO()
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=82)
    else:
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
            "EPUB/cover.png",
            make_cover(title, colour, author=author),
            compress_type=zipfile.ZIP_STORED,
        )
        for name, body in chapters:
            archive.writestr(f"EPUB/{name}", body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
