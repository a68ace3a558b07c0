"""Staff type fees in kronor and rates in per cent; the database keeps öre and basis points.

A model field named `*_ore` gets a KronorField, one named `*_basis_points` a PercentField, in the
fee schedule's forms (admin.py). Both are exact: Decimal in, integer out, no floats.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bibblix.lib.money import kronor_decimal

_UNIT = re.compile(r"\s*\((öre|basis points|baspunkter)\)\s*$")
# "(basis points of the one-off fee)": the unit inside a longer note.
_UNIT_OF = re.compile(r"\((?:basis points|baspunkter) (of|av) ")


def _number(value) -> Decimal | None:
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    text = text.removesuffix("kr").removesuffix("%")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(_("Enter an amount, e.g. 1 250,50.")) from error
    if not number.is_finite() or abs(number) >= Decimal(10) ** 12:
        raise ValidationError(_("Enter an amount, e.g. 1 250,50."))
    return number


def _relabel(label, unit: str):
    """The model's label with its stored unit (öre, basis points) swapped for the one typed."""

    def text() -> str:
        translated = str(gettext(str(label)))
        if _UNIT_OF.search(translated):
            return _UNIT_OF.sub(lambda match: f"({unit} {match[1]} ", translated)
        return f"{_UNIT.sub('', translated)} ({unit})"

    return lazy(text, str)()


class KronorField(forms.CharField):
    """An amount in kronor (two decimals, comma or point) stored as whole öre."""

    def prepare_value(self, value):
        if isinstance(value, int):
            return kronor_decimal(value).replace(".", ",")
        return value

    def to_python(self, value):
        number = _number(value)
        if number is None:
            return None
        return int((number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class PercentField(forms.CharField):
    """A rate in per cent (two decimals) stored as basis points: 25 % is 2500."""

    def prepare_value(self, value):
        if isinstance(value, int):
            whole, rest = divmod(value, 100)
            return f"{whole},{rest:02d}".removesuffix(",00")
        return value

    def to_python(self, value):
        number = _number(value)
        if number is None:
            return None
        return int((number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def money_formfield(db_field, **kwargs):
    """The form field for a model field in öre or basis points, or None for any other."""
    options = {
        "required": not db_field.blank,
        # The stored unit's help ("2500 means 25 %") would only confuse: the unit is in the label.
        "help_text": "" if db_field.name.endswith("_basis_points") else db_field.help_text,
        "validators": list(db_field.validators),
    }
    if db_field.name.endswith("_ore"):
        field = KronorField(label=_relabel(db_field.verbose_name, "kr"), **options)
    elif db_field.name.endswith("_basis_points"):
        field = PercentField(label=_relabel(db_field.verbose_name, "%"), **options)
    else:
        return None
    field.widget.attrs.update({"inputmode": "decimal", "size": 12})
    return field
