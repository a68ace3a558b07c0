"""Dependencies between the apps point one way, and apps use each other's public functions.

Allowed direction: reader, motivation, opds → lending → catalogue, patrons → members (an app may
import any app further along); billing and insights read the others' `services`; nothing imports
billing or insights, except insights reading `billing.services`; `demo` builds the demo rows of
every app and may import any of them, and nothing imports `demo`. What an app may import from another is its `services`; infrastructure (`lib` and
`audit`, and the anonymous usage log `usage`) anyone may import. Every other import across apps is an exception in EXCEPTIONS below,
with its reason, and docs/architecture.md ("Where the code departs…") explains each one.
The check reads the source (ast), outside tests/ and migrations/."""

import ast
from pathlib import Path

import pytest

BIBBLIX = Path(__file__).resolve().parent.parent
INFRASTRUCTURE = {"lib", "audit", "usage", "jobs"}
# Each app and the apps it may import (their `services`).
MAY_IMPORT = {
    "members": set(),
    "catalogue": {"members"},
    "patrons": {"members"},
    "lending": {"catalogue", "patrons", "members"},
    "reader": {"lending", "catalogue", "patrons", "members"},
    "motivation": {"lending", "catalogue", "patrons", "members"},
    "opds": {"lending", "catalogue", "patrons", "members"},
    "billing": {"members", "catalogue", "patrons", "lending"},
    "insights": {"members", "catalogue", "patrons", "lending", "billing"},
    "audit": set(),
    "usage": set(),
    "jobs": set(),
    "lib": set(),
}
# (importing app, imported module) -> why. Keep short; each has a line in docs/architecture.md.
EXCEPTIONS = {
    ("catalogue", "members.scoping"): "staff admins scope rows with MunicipalityScopedAdmin",
    ("patrons", "members.scoping"): "staff admins scope rows with MunicipalityScopedAdmin",
    ("lending", "members.scoping"): "staff admins scope rows with MunicipalityScopedAdmin",
    ("billing", "members.scoping"): "staff admins scope rows with MunicipalityScopedAdmin",
    ("motivation", "members.scoping"): "staff admins scope rows with MunicipalityScopedAdmin",
    ("billing", "members.models"): "invoices name their issuer and buyer Organisation rows",
    ("lending", "catalogue.models"): "a borrow locks the Book row FOR UPDATE in its transaction",
    ("lending", "members.models"): "the loan-rule admin limits its choices to the staff profile",
    ("lending", "patrons.auth"): "children's views and API take the child from patrons' login",
    ("motivation", "patrons.auth"): "children's views and API take the child from patrons' login",
    ("patrons", "members.models"): "a connection change clears patrons' connected-cache signal",
    ("opds", "catalogue.models"): "feeds filter catalogue's querysets read-only (Book, Theme)",
    ("audit", "members.services"): "the audit admin scopes the trail to the staff member",
}


def _apps() -> list[str]:
    packages = (p.name for p in BIBBLIX.iterdir() if (p / "__init__.py").exists())
    return sorted(name for name in packages if name != "tests")


def _imported_modules(path: Path, root: Path) -> list[tuple[str, int]]:
    """(dotted module, line) of each import in the file, relative imports resolved."""
    package = ["bibblix", *path.relative_to(root).parts[:-1]]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            # `from bibblix.x import services` names a module; `from x.services import f` too.
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return found


def crossings(root: Path = BIBBLIX) -> list[tuple[str, str, str]]:
    """(importing app, imported "app.module", "file:line") for every import across apps."""
    out = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue  # project-level modules (urls, api, settings) mount every app
        app = parts[0]
        for module, line in _imported_modules(path, root):
            bits = module.split(".")
            if bits[0] == "bibblix" and len(bits) >= 3 and bits[1] != app:
                where = f"{path.relative_to(root.parent)}:{line}"
                out.append((app, f"{bits[1]}.{bits[2]}", where))
    return out


def violation(app: str, target: str) -> str | None:
    """Why importing `target` ("app.module") from `app` is not allowed, or None."""
    other, module = target.split(".", 1)
    if other in INFRASTRUCTURE or (app, target) in EXCEPTIONS:
        return None
    if other == "demo":
        return "nothing imports demo"
    if app == "demo":
        return None  # demo data is made outside every production path
    if other in {"billing", "insights"} and not (
        app == "insights" and target == "billing.services"
    ):
        return f"nothing imports {other}"
    if other not in MAY_IMPORT.get(app, set()):
        return f"{app} may not depend on {other} (against the direction)"
    if module != "services":
        return f"{other}.{module} is an internal of {other}: use {other}.services"
    return None


def test_every_import_across_apps_follows_the_direction_or_is_a_listed_exception():
    problems = [
        f"{where}: {app} imports {target}: {reason}"
        for app, target, where in crossings()
        if (reason := violation(app, target))
    ]
    assert not problems, "\n".join(problems)


def test_every_listed_exception_is_still_needed():
    used = {(app, target) for app, target, _where in crossings()}
    assert set(EXCEPTIONS) <= used, sorted(set(EXCEPTIONS) - used)


def test_every_exception_is_documented_in_the_architecture_note():
    note = (BIBBLIX.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    lines = note.split("## Where the code departs", 1)[1].splitlines()
    missing = [
        (app, target)
        for app, target in EXCEPTIONS
        if not any(f"`{app}`" in line and f"`{target}`" in line for line in lines)
    ]
    assert not missing, missing


def test_every_app_is_placed_in_the_direction():
    placed = set(MAY_IMPORT) | {"demo"}
    assert set(_apps()) <= placed, set(_apps()) - placed


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("from bibblix.lending import services", "against the direction"),
        ("from bibblix.billing.services import run", "nothing imports billing"),
        ("from bibblix.members.lifecycle import connect", "internal of members"),
        ("from ..lending.models import Loan", "against the direction"),
        ("def f():\n    import bibblix.insights.services", "nothing imports insights"),
    ],
)
def test_the_check_catches_a_wrong_import(tmp_path, source, problem):
    app = tmp_path / "catalogue"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "views.py").write_text(source + "\n")
    [(importer, target, _where)] = crossings(tmp_path)
    assert problem in violation(importer, target)


def test_the_check_lets_services_and_infrastructure_through(tmp_path):
    app = tmp_path / "opds"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "views.py").write_text(
        "from bibblix.lending import services\nfrom bibblix.lib import xml\n"
        "from bibblix.audit.services import record_change\nfrom . import links\n"
    )
    assert [violation(a, t) for a, t, _w in crossings(tmp_path)] == [None, None, None]
