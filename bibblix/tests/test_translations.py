"""Swedish comes first: every message in every catalogue has a Swedish translation."""

from pathlib import Path

import polib
import pytest

CATALOGUES = sorted(Path(__file__).resolve().parents[1].glob("**/locale/sv/LC_MESSAGES/django.po"))


def test_there_are_swedish_catalogues():
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.parts[-5]))
def test_every_message_is_translated_to_swedish(path):
    catalogue = polib.pofile(str(path))
    untranslated = [
        e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]
    assert untranslated == []
    compiled = path.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_mtime >= path.stat().st_mtime - 1, (
        "run scripts/messages.sh"
    )
