"""The icon sprite holds every icon the templates ask for, and nothing else (scripts/build_icons.py)."""

import importlib.util
import re
from pathlib import Path

from django.template import Context, Template

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("build_icons", ROOT / "scripts" / "build_icons.py")
build_icons = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_icons)


def test_sprite_has_exactly_the_icons_templates_use():
    sprite = build_icons.SPRITE.read_text(encoding="utf-8")
    assert set(re.findall(r'<symbol id="([a-z0-9-]+)"', sprite)) == build_icons.used_icons()
    assert {"house", "library", "search", "book-heart"} <= build_icons.used_icons()


def test_children_templates_use_no_emoji_as_icons():
    emoji = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
    for folder in ("templates", "catalogue/templates/catalogue", "lending/templates/lending"):
        for template in (ROOT / "bibblix" / folder).glob("*.html"):
            assert not emoji.search(template.read_text(encoding="utf-8")), template.name


def test_icon_tag_is_hidden_from_screen_readers():
    html = Template('{% load icons %}{% icon "house" %}').render(Context())
    assert 'aria-hidden="true"' in html and 'focusable="false"' in html
    assert "icons.svg#house" in html
