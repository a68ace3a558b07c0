"""Time to first page of the reader for a 5 MB picture book, on loopback.

Starts gunicorn on 127.0.0.1 with a temporary SQLite database and media folder (never var/),
opens /read/<id>/ in Debian's headless Chromium (a fresh browser context each run: no HTTP cache,
no service worker) and measures from navigation start until the reader's `bibblix:first-page`
mark (set when foliate-js has laid out and painted the first page). Prints p50/p95 in ms.

Books: a generated 5 MB fixed-layout picture book (always), and Kipling's *Just So Stories*
(5.9 MB, SVG illustrations) when ../shared/books is present.

    .venv/bin/python benchmarks/bench_reader.py [--runs 9]
"""

import argparse
import io
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_BOOK = ROOT.parent / "shared" / "books" / "kipling_just-so-stories.epub"
CHROMIUM = "/usr/bin/chromium"
TARGET_MS = 1000

SETUP = """
import datetime, json, sys
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.utils import timezone
from bibblix.catalogue.models import Book
from bibblix.lending.models import Loan
from bibblix.members.models import ConnectionEvent, Library, Organisation
from bibblix.patrons.services import SESSION_KEY, add_local_card, patron_for_card

town = Organisation.objects.create(kind="municipality", name="Benchby", municipality_code="9999", population=1)
ConnectionEvent.objects.create(organisation=town, state="connected", effective_date=datetime.date(2020, 1, 1))
library = Library.objects.create(municipality=town, name="Benchby bibliotek")
add_local_card(library, "30000001", "1234")
patron = patron_for_card(library, "30000001")
books = {}
for name, path, layout in json.loads(sys.argv[1]):
    book = Book.objects.create(title=name, language="en", layout=layout)
    book.epub.save(path.rsplit("/", 1)[1], ContentFile(open(path, "rb").read()))
    now = timezone.now()
    Loan.objects.create(patron=patron, book=book, borrowed_at=now, due_at=now + datetime.timedelta(days=28))
    books[name] = [book.pk, book.epub.size]
session = SessionStore()
session[SESSION_KEY] = str(patron.public_id)
session.create()
print(json.dumps({"books": books, "session": session.session_key}))
"""


def picture_book(path: Path, pages: int = 12, size: int = 5 * 1024 * 1024) -> None:
    """A fixed-layout EPUB of `pages` full-page pictures, about `size` bytes in all."""
    from PIL import Image

    rng = random.Random(7)
    per_page = size // pages
    images = []
    for index in range(pages):
        side = 400
        while True:  # noisy pictures compress badly, so their size is easy to steer
            image = Image.effect_noise((side, side * 4 // 3), 90).convert("RGB")
            tint = Image.new("RGB", image.size, tuple(rng.randrange(256) for _ in range(3)))
            out = io.BytesIO()
            Image.blend(image, tint, 0.5).save(out, "JPEG", quality=92)
            if out.tell() >= per_page * 0.97 or side > 3000:
                break
            side = int(side * 1.04)
        images.append((f"page-{index + 1}.jpg", out.getvalue(), image.size))
    with zipfile.ZipFile(path, "w") as epub:
        epub.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        epub.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OPS/package.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        items, spine = [], []
        for index, (name, data, (width, height)) in enumerate(images, 1):
            epub.writestr(f"OPS/{name}", data)
            epub.writestr(
                f"OPS/p{index}.xhtml",
                f'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>{index}</title>'
                f'<meta name="viewport" content="width={width}, height={height}"/></head>'
                f'<body style="margin:0"><img src="{name}" alt="Bild {index}" width="{width}" height="{height}"/></body></html>',
            )
            items.append(
                f'<item id="p{index}" href="p{index}.xhtml" media-type="application/xhtml+xml"/>'
                f'<item id="i{index}" href="{name}" media-type="image/jpeg"/>'
            )
            spine.append(f'<itemref idref="p{index}"/>')
        nav = "".join(f'<li><a href="p{i}.xhtml">Sida {i}</a></li>' for i in range(1, pages + 1))
        epub.writestr(
            "OPS/nav.xhtml",
            '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
            f'<head><title>Innehåll</title></head><body><nav epub:type="toc"><ol>{nav}</ol></nav></body></html>',
        )
        epub.writestr(
            "OPS/package.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:bibblix:bench</dc:identifier>'
            "<dc:title>Bildboken</dc:title><dc:language>sv</dc:language>"
            '<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>'
            '<meta property="rendition:layout">pre-paginated</meta></metadata>'
            f'<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>{"".join(items)}</manifest>'
            f"<spine>{''.join(spine)}</spine></package>",
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


def measure(base: str, session: str, book_id: int, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 820, "height": 1180})
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            page = context.new_page()
            page.goto(f"{base}/read/{book_id}/")
            page.wait_for_selector(
                "html[data-reader-ready='true']", state="attached", timeout=30_000
            )
            times.append(
                page.evaluate(
                    "() => performance.getEntriesByName('bibblix:first-page')[0].startTime"
                )
            )
            context.close()
        browser.close()
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"skipped: needs Debian's Chromium at {CHROMIUM}")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench_reader_") as tmp:
        tmp = Path(tmp)
        env = {
            **os.environ,
            "BIBBLIX_VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media"),
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "BIBBLIX_ENV": "embedded",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("TEST_DATABASE_NAME", None)
        python = sys.executable
        books = [["Generated picture book (fixed layout)", str(tmp / "picture.epub"), "fixed"]]
        picture_book(tmp / "picture.epub")
        if SHARED_BOOK.exists():
            books.append(["Just So Stories (SVG illustrations)", str(SHARED_BOOK), "reflowable"])
        manage = [python, str(ROOT / "manage.py")]
        subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT
        )
        out = subprocess.run(  # noqa: S603 (our own manage.py and setup code)
            [*manage, "shell", "-c", SETUP.replace("sys.argv[1]", repr(json.dumps(books)))],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout
        setup = json.loads(out.strip().splitlines()[-1])
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 (gunicorn on loopback, fixed arguments)
            [python, "-m", "gunicorn", "bibblix.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/healthz")
            print(f"reader: time to first page, {args.runs} cold runs, gunicorn on loopback")
            for name, (book_id, size) in setup["books"].items():
                times = measure(base, setup["session"], book_id, args.runs)
                p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
                verdict = "ok" if p95 < TARGET_MS else "OVER TARGET"
                print(
                    f"  {name}, {size / 1e6:.1f} MB: p50 {p50:.0f} ms, p95 {p95:.0f} ms"
                    f" (target < {TARGET_MS} ms: {verdict})"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
