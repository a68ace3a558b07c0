"""Build the icon sprite bibblix/static/bibblix/icons.svg from the pinned npm package lucide-static.

Only the icons the templates use go in: every `{% icon "name" %}` found under bibblix/ (plus
EXTRA below). Run after adding an icon to a template: `.venv/bin/python scripts/build_icons.py`;
`bibblix/tests/test_icons.py` fails while a used icon is missing from the sprite.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "frontend" / "node_modules" / "lucide-static" / "icons"
SPRITE = ROOT / "bibblix" / "static" / "bibblix" / "icons.svg"
USE = re.compile(r"""\{%\s*icon\s+["']([a-z0-9-]+)["']""")
EXTRA: set[str] = set()
SHAPE = re.compile(r"<svg[^>]*>(.*)</svg>", re.S)


def used_icons(root: Path = ROOT / "bibblix") -> set[str]:
    """Every icon name a template asks for with the `icon` tag."""
    names = set(EXTRA)
    for template in root.rglob("*.html"):
        names |= set(USE.findall(template.read_text(encoding="utf-8")))
    return names


def symbol(name: str) -> str:
    body = SHAPE.search((SOURCE / f"{name}.svg").read_text(encoding="utf-8")).group(1)
    shapes = " ".join(line.strip() for line in body.strip().splitlines())
    return f'<symbol id="{name}" viewBox="0 0 24 24">{shapes}</symbol>'


def build() -> str:
    symbols = "\n".join(symbol(name) for name in sorted(used_icons()))
    return (
        "<!-- Lucide icons (lucide-static, ISC licence), built by scripts/build_icons.py -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">\n'
        f"{symbols}\n</svg>\n"
    )


if __name__ == "__main__":
    missing = [name for name in used_icons() if not (SOURCE / f"{name}.svg").exists()]
    if missing:
        sys.exit(f"no such lucide icon: {', '.join(sorted(missing))}")
    SPRITE.write_text(build(), encoding="utf-8")
    print(f"{SPRITE.relative_to(ROOT)}: {len(used_icons())} icons")
