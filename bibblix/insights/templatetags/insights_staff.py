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


@register.simple_tag(takes_context=True)
def is_association_staff(context) -> bool:
    """Whether the user sees the association's follow-up pages (budget, reports)."""
    from bibblix.members.services import is_limited_staff

    user = context["request"].user
    return not is_limited_staff(user) and user.has_perm("insights.view_budgetline")
