"""Folding text for search: the same function folds the books and what a child types."""

import re
import unicodedata

# A child on a phone often types "a" for "å" and "o" for "ö": fold the Swedish letters (and other
# accents) to their base letters, so "pippi langstrump" and "Pippi Långstrump" meet.
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed (å→a, ä→a, ö→o, é→e), only letters and digits, single spaces."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
    return _NON_WORD.sub(" ", plain).strip()


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return fold(text).split()
