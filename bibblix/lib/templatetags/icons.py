"""`{% icon "name" %}`: one icon from the app's own SVG sprite (scripts/build_icons.py).

Icons are decoration beside a word, so they are hidden from screen readers; a button with an
icon alone gets its name from its own aria-label."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    """An inline <svg> that uses the sprite's symbol `name`."""
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        f" {css}" if css else "",
        static("bibblix/icons.svg"),
        name,
    )
