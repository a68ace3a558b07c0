"""The lending app's part of each library's OPDS catalogue, mounted at /opds/ next to the
catalogue's: borrowing, holds and returns from a reading app, and the child's shelf feed.
See docs/opds.md."""

from django.urls import path

from . import opds_views

app_name = "lending-opds"

urlpatterns = []
for version in ("v2", "v1"):
    base = f"{version}/libraries/<int:library_id>/"
    urlpatterns += [
        path(
            f"{base}books/<int:book_id>/borrow",
            opds_views.borrow,
            {"version": version},
            name=f"{version}-borrow",
        ),
        path(
            f"{base}books/<int:book_id>/revoke",
            opds_views.revoke,
            {"version": version},
            name=f"{version}-revoke",
        ),
        path(f"{base}loans", opds_views.loans, {"version": version}, name=f"{version}-loans"),
    ]
