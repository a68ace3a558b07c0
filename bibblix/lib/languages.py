"""Language tags: BCP 47 at the door, a readable name on the page whatever is stored."""

import langcodes
from django.utils.translation import gettext

# Book.language and the usage log keep at most this many characters.
MAX_TAG_LENGTH = 8


def normalise_language(code: str | None, default: str = "sv") -> str:
    """The shortest BCP 47 tag for `code` (`swe` -> `sv`, `eng-US` -> `en-US`), or `default`.

    EPUB's dc:language should be BCP 47, but Swedish publishers' files and ONIX (List 74) use
    ISO 639-2 (`swe`, also the bibliographic `ger`, `fre`); langcodes maps all of them.
    Region subtags are kept; a tag too long to store keeps its language only."""
    text = (code or "").strip().replace("_", "-")
    if not text:
        return default
    try:
        tag = langcodes.standardize_tag(text)
    except (ValueError, LookupError):
        return default
    language = langcodes.Language.get(tag).language or ""
    if not language.isalpha() or language == "und":
        return default
    return tag if len(tag) <= MAX_TAG_LENGTH else language


def language_name(code: str | None) -> str:
    """The language's name in the active language (Swedish first); the code if Django has none."""
    from django.conf.locale import LANG_INFO

    tag = (code or "").strip()
    for candidate in (tag.lower(), normalise_language(tag, default="").lower()):
        for key in (candidate, candidate.split("-")[0]):
            info = LANG_INFO.get(key)
            if info and "name" in info:
                return gettext(info["name"])
            if info and "fallback" in info:
                fallback = LANG_INFO.get(info["fallback"][0], {})
                if "name" in fallback:
                    return gettext(fallback["name"])
    return tag
