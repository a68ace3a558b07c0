from django.contrib import admin

from bibblix.members.scoping import MunicipalityScopedAdmin

from .models import Loan


@admin.register(Loan)
class LoanAdmin(MunicipalityScopedAdmin):
    municipality_field = "patron__municipality"
    list_display = ["book", "borrowed_at", "due_at", "returned_at"]
    list_filter = ["borrowed_at"]
    raw_id_fields = ["book", "patron"]
