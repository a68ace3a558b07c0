"""`{{ name|hyphenate }}`: soft hyphens (U+00AD) at the hyphenation points of long words, in
the page's language, so a long Swedish heading on a phone at 200 % text breaks as
"Sommar-|läsning" with a hyphen shown, not "Sommarläs|ning". Browsers without hyphenation
dictionaries for `hyphens: auto` (Chromium on Linux, some Android versions) honour soft hyphens
too; unbroken, they are invisible and screen readers ignore them."""

import functools
import re

from django import template
from django.utils.translation import get_language

register = template.Library()

LONG_WORD = re.compile(r"\w{10,}")  # shorter words fit a phone's line at 200 % text
_DICTIONARIES = {"sv": "sv", "en": "en_GB"}


@functools.cache
def _dictionary(language: str):
    try:
        import pyphen
    except ImportError:  # pyphen comes with WeasyPrint; without it, no soft hyphens
        return None
    # At least three letters on each side: no "s-|äventyr" or "-r" alone on a line.
    return pyphen.Pyphen(lang=_DICTIONARIES.get(language, "sv"), left=3, right=3)


@register.filter(is_safe=True)
def hyphenate(text) -> str:
    dictionary = _dictionary((get_language() or "sv").split("-")[0])
    if dictionary is None or not text:
        return text
    return LONG_WORD.sub(lambda match: dictionary.inserted(match[0], hyphen="\u00ad"), str(text))
