"""Every page that can be reached without arguments carries the Content-Security-Policy: each URL
pattern of the project is walked, as a visitor, a logged-in child and the association's staff."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from bibblix.lib.csp import is_html


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


PLAIN = re.compile(r"^[\w\-./]*$")


def plain_paths(patterns=None, prefix="") -> list[str]:
    """Paths of the URL patterns that take no argument (no converter, no regex group)."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    found = []
    for entry in patterns:
        part = str(entry.pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        if not PLAIN.match(part):
            continue
        if isinstance(entry, URLResolver):
            found += plain_paths(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            found.append("/" + prefix + part)
    return sorted(set(found))


def test_the_walk_finds_the_pages_of_every_area():
    paths = plain_paths()
    for expected in ["/", "/login/", "/books/", "/staff/", "/staff/catalogue/book/", "/my/"]:
        assert expected in paths
    assert len(paths) > 40


@pytest.fixture(params=["visitor", "child", "coordinator"])
def who(request, client, db):
    if request.param == "child":
        return request.getfixturevalue("child")
    if request.param == "coordinator":
        client.force_login(request.getfixturevalue("coordinator"))
    return client


def test_every_html_page_has_the_policy(who, ale):
    missing, checked = [], 0
    for path in plain_paths():
        if path.startswith("/api/") or path.endswith("/logout/"):
            continue
        response = who.get(path)
        if not is_html(response):
            continue
        checked += 1
        script_src = directives(response.get("Content-Security-Policy", "")).get("script-src")
        if not script_src or {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(script_src):
            missing.append(f"{path} ({response.status_code})")
    assert checked > 10
    assert missing == []
