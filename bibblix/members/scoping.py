"""The one helper every staff-area lookup goes through: a municipality's staff never reach
another municipality's rows, not in lists and not by id."""

from django.contrib import admin

from .services import is_limited_staff, scope_for_staff, staff_municipality_id


class MunicipalityScopedAdmin(admin.ModelAdmin):
    """ModelAdmin that limits rows to the staff user's municipality.

    `municipality_field` is the lookup path from the model to its municipality.
    """

    municipality_field = "municipality"

    def get_queryset(self, request):
        return scope_for_staff(request.user, super().get_queryset(request), self.municipality_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Municipality staff may only pick their own municipality (and its libraries).
        if is_limited_staff(request.user):
            municipality_id = staff_municipality_id(request.user)
            model = db_field.related_model
            if model._meta.label == "members.Organisation":
                kwargs["queryset"] = model.objects.filter(pk=municipality_id)
            elif model._meta.label == "members.Library":
                kwargs["queryset"] = model.objects.filter(municipality_id=municipality_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
