from django.contrib import admin

from bibblix.members import services as members
from bibblix.members.models import StaffProfile
from bibblix.members.scoping import MunicipalityScopedAdmin

from .models import Hold, Loan, LoanPolicy

# Loan rules are the municipality's own decision: its administrator edits them; the association's
# administrators may help. Librarians see them.
RULE_EDITORS = {StaffProfile.Role.ASSOCIATION_ADMIN, StaffProfile.Role.MUNICIPALITY_ADMIN}


@admin.register(Loan)
class LoanAdmin(MunicipalityScopedAdmin):
    municipality_field = "patron__municipality"
    list_display = ["book", "borrowed_at", "due_at", "returned_at"]
    list_filter = ["borrowed_at"]
    raw_id_fields = ["book", "patron"]


@admin.register(Hold)
class HoldAdmin(MunicipalityScopedAdmin):
    municipality_field = "patron__municipality"
    list_display = ["book", "placed_at", "fulfilled_at", "cancelled_at"]
    raw_id_fields = ["book", "patron", "loan"]


@admin.register(LoanPolicy)
class LoanPolicyAdmin(MunicipalityScopedAdmin):
    list_display = [
        "municipality",
        "weekly_limit",
        "loan_days",
        "max_active_loans",
        "max_holds",
        "retention_years",
    ]
    fields = [
        "municipality",
        "weekly_limit",
        "loan_days",
        "max_active_loans",
        "max_holds",
        "retention_years",
    ]

    def _may_edit(self, request) -> bool:
        return request.user.is_superuser or members.staff_role(request.user) in RULE_EDITORS

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request)

    def get_readonly_fields(self, request, obj=None):
        # Once saved, the rules stay with their municipality.
        return ["municipality"] if obj is not None else []
