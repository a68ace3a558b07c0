"""OPDS at /opds/: the national catalogues /opds/v1/ and /opds/v2/, each library's catalogue
under /opds/v{1,2}/libraries/<id>/ (that library's card by HTTP Basic), and the Authentication
for OPDS documents /opds/auth and /opds/libraries/<id>/auth; inside each library's catalogue
also borrowing, returns and the child's shelf (loan_views.py). See docs/opds.md."""

from django.urls import path, re_path
from django.views.generic import RedirectView

from . import loan_views, views

app_name = "opds"

_LISTINGS = r"(?P<path>books|new|free|search|themes/[-\w]+)"


def _catalogue(version: str) -> list:
    """One version's catalogue twice: nationally and inside one library (named "<version>-…"
    and "<version>-library-…")."""
    routes = [
        ("$", getattr(views, f"{version}_root"), "root"),
        (rf"{_LISTINGS}$", getattr(views, f"{version}_listing"), "listing"),
        (r"books/(?P<pk>\d+)$", getattr(views, f"{version}_book"), "book"),
    ]
    if version == "v1":
        routes.append((r"opensearch\.xml$", views.v1_opensearch, "opensearch"))
    patterns = []
    for tail, view, short in routes:
        patterns += [
            re_path(rf"^{version}/{tail}", view, name=f"{version}-{short}"),
            re_path(
                rf"^{version}/libraries/(?P<library_id>\d+)/{tail}",
                view,
                name=f"{version}-library-{short}",
            ),
        ]
    return patterns


def _lending(version: str) -> list:
    """Borrow, revoke and the shelf inside one library's catalogue (named "<version>-…")."""
    base = f"{version}/libraries/<int:library_id>/"
    return [
        path(
            f"{base}books/<int:book_id>/borrow",
            loan_views.borrow,
            {"version": version},
            name=f"{version}-borrow",
        ),
        path(
            f"{base}books/<int:book_id>/revoke",
            loan_views.revoke,
            {"version": version},
            name=f"{version}-revoke",
        ),
        path(f"{base}loans", loan_views.loans, {"version": version}, name=f"{version}-loans"),
    ]


urlpatterns = [
    path("", RedirectView.as_view(url="/opds/v2/", permanent=False), name="index"),
    path("v2/libraries/", views.v2_libraries, name="v2-libraries"),
    path("v1/libraries/", views.v1_libraries, name="v1-libraries"),
    *_catalogue("v2"),
    *_catalogue("v1"),
    *_lending("v2"),
    *_lending("v1"),
    path("auth", views.service_auth, name="auth"),
    path("libraries/<int:library_id>/auth", views.library_auth, name="library-auth"),
]
