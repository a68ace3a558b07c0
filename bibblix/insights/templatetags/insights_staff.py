from django import template

from bibblix.lib.money import format_sek

from ..staff_home import panels_for

register = template.Library()


@register.filter
def kr(ore) -> str:
    """An amount in öre as kronor ("12 345,50 kr"); "–" for None."""
    return "–" if ore is None or ore == "" else format_sek(int(ore))


@register.inclusion_tag("insights/admin/_staff_home_panels.html", takes_context=True)
def staff_home_panels(context):
    request = context["request"]
    return {"panels": panels_for(request.user)}
