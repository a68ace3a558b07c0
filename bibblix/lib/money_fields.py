"""Staff type and read amounts in kronor and rates in per cent; the database keeps öre and
basis points.

A model field named `*_ore` gets a KronorField, one named `*_basis_points` a PercentField, in the
staff area's forms; both are exact: Decimal in, integer out, no floats. Where the staff area
shows such a field read-only (staff who may only view, read-only fields, read-only inlines),
`InKronor` shows it through `money_display` as "1 234,50 kr" or "25 %" instead of the raw
integer: Django's read-only fields bypass form fields, so the form field alone is not enough.
"""

import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bibblix.lib.money import format_percent, format_sek, kronor_decimal

_UNIT = re.compile(r"\s*\((öre|basis points|baspunkter)\)\s*$")
# "(basis points of the one-off fee)", "(öre, excluding VAT)": the unit inside a longer note.
_UNIT_INSIDE = re.compile(r"\((?:öre|basis points|baspunkter)(?=[ ,])")


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
        if _UNIT_INSIDE.search(translated):
            return _UNIT_INSIDE.sub(f"({unit}", translated)
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
            return f"{whole},{rest:02d}".rstrip("0").rstrip(",")  # 650 -> "6,5", as shown
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


def money_label(field) -> str:
    """A model field's label as staff read it: the unit typed and shown instead of the unit
    stored ("connection fee (kr)"); other fields' labels unchanged."""
    if field.name.endswith("_ore"):
        return _relabel(field.verbose_name, "kr")
    if field.name.endswith("_basis_points"):
        return _relabel(field.verbose_name, "%")
    return field.verbose_name


def money_value(name: str, value) -> str:
    """A stored value of the field `name` as staff read it: kronor, per cent, or as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        if name.endswith("_ore"):
            return format_sek(value)
        if name.endswith("_basis_points"):
            return format_percent(value)
    return str(value)


def money_field_names(model) -> list[str]:
    """The model's fields kept in öre or basis points."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.name.endswith(("_ore", "_basis_points"))
    ]


@functools.cache
def money_display(model, name: str):
    """A read-only admin column for `model.name`: kronor or per cent, with the form's label.

    One function per field (cached), so the admin finds it in its read-only fields."""
    field = model._meta.get_field(name)
    percent = name.endswith("_basis_points")

    def display(obj) -> str:
        value = getattr(obj, name)
        return "-" if value is None else money_value(name, value)

    display.short_description = money_label(field)
    display.admin_order_field = name
    # The admin names the read-only row's CSS class and looks up its help after __name__: the
    # help of an amount holds in kronor too, the rate's ("2500 means 25 %") only in basis points.
    display.__name__ = f"{name}_in_per_cent" if percent else name
    return display


class InKronor:
    """Admin mixin (ModelAdmin or inline): `*_ore` fields typed and shown in kronor and
    `*_basis_points` fields in per cent, for staff who edit and for staff who may only view."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return money_formfield(db_field) or super().formfield_for_dbfield(
            db_field, request, **kwargs
        )

    def _is_read_only(self, request, obj) -> bool:
        """Whether the admin shows every field of this page (or inline) read-only."""
        parent_model = getattr(self, "parent_model", None)
        if parent_model is None:  # a ModelAdmin: read-only for a view-only user
            return obj is not None and not self.has_change_permission(request, obj)
        parent = self.admin_site.get_model_admin(parent_model)
        can_edit_parent = (
            parent.has_change_permission(request, obj)
            if obj
            else parent.has_add_permission(request)
        )
        return not (can_edit_parent and self.has_change_permission(request, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        everything = self._is_read_only(request, obj)
        displays = [
            money_display(self.model, name)
            for name in money_field_names(self.model)
            if everything or name in fields
        ]
        return [*fields, *displays]

    def get_fieldsets(self, request, obj=None):
        displays = {
            field
            for field in self.get_readonly_fields(request, obj)
            if callable(field) and getattr(field, "admin_order_field", None)
        }
        seen = set()

        def shown(name):
            """The name, or its kronor display where the field is read-only; None if shown."""
            if isinstance(name, str) and name in money_field_names(self.model):
                display = money_display(self.model, name)
                name = display if display in displays else name
            if name in seen:
                return None
            seen.add(name)
            return name

        fieldsets = []
        for title, options in super().get_fieldsets(request, obj):
            fields = []
            for item in options.get("fields", ()):
                if isinstance(item, (list, tuple)):
                    line = tuple(name for name in map(shown, item) if name is not None)
                    if line:
                        fields.append(line)
                elif (name := shown(item)) is not None:
                    fields.append(name)
            fieldsets.append((title, {**options, "fields": fields}))
        return fieldsets

    def get_list_display(self, request):
        names = money_field_names(self.model)
        return [
            money_display(self.model, name) if name in names else name
            for name in super().get_list_display(request)
        ]
