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


def test_no_message_is_translated_differently_by_two_apps():
    """Django merges the apps' catalogues and the first app wins, so one English text with two
    Swedish translations shows the wrong one somewhere (use distinct texts or pgettext)."""
    translations: dict[tuple, dict[str, str]] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                value = entry.msgstr or str(sorted(entry.msgstr_plural.items()))
                translations.setdefault((entry.msgctxt, entry.msgid), {})[str(path)] = value
    conflicts = {key: where for key, where in translations.items() if len(set(where.values())) > 1}
    assert conflicts == {}
