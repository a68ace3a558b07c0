"""Every HTML page gets a strict Content-Security-Policy unless it has its own (the reader)."""

import re
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from bibblix.lib.csp import ContentSecurityPolicyMiddleware

BIBBLIX_DIR = Path(__file__).resolve().parent.parent


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def middleware_answering(response: HttpResponse) -> ContentSecurityPolicyMiddleware:
    return ContentSecurityPolicyMiddleware(lambda request: response)


@pytest.mark.parametrize(
    "url", ["/", "/login/", "/books/", "/search/?q=drake", "/utan-lanekort/", "/staff/login/"]
)
def test_html_pages_allow_only_our_own_scripts_and_styles(client, ale, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_a_logged_in_childs_pages_have_the_policy_too(child):
    for url in ["/", "/my/"]:
        assert "script-src 'self';" in child.get(url)["Content-Security-Policy"], url


def test_not_found_page_has_the_policy(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "script-src 'self';" in response["Content-Security-Policy"]


def test_a_view_with_its_own_policy_keeps_it(rf: RequestFactory):
    own = HttpResponse("<p>reader</p>", headers={"Content-Security-Policy": "sandbox"})
    response = middleware_answering(own)(rf.get("/read/1/"))
    assert response["Content-Security-Policy"] == "sandbox"


def test_json_and_other_responses_get_no_policy(client, db):
    assert "Content-Security-Policy" not in client.get("/healthz")
    assert "Content-Security-Policy" not in client.get("/api/v1/municipalities")
    assert "Content-Security-Policy" not in client.get("/opds/v2/")


def test_json_response_is_left_untouched(rf: RequestFactory):
    response = middleware_answering(JsonResponse({"a": 1}))(rf.get("/api/v1/x"))
    assert "Content-Security-Policy" not in response


def test_debug_error_pages_keep_their_inline_code(rf: RequestFactory, settings):
    # Django's technical 404/500 pages (DEBUG only) are inline script and style.
    settings.DEBUG = True
    page = HttpResponse("<p>traceback</p>", status=500)
    assert "Content-Security-Policy" not in middleware_answering(page)(rf.get("/"))


def test_covers_from_a_storage_on_another_origin_are_allowed(settings, rf: RequestFactory):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": "/tmp/unused", "base_url": "https://covers.example.net/m/"},
        },
    }
    response = middleware_answering(HttpResponse("<p>hi</p>"))(rf.get("/"))
    img_src = directives(response["Content-Security-Policy"])["img-src"]
    assert img_src == ["'self'", "data:", "https://covers.example.net"]


def test_local_storage_adds_no_image_origin(rf: RequestFactory):
    response = middleware_answering(HttpResponse("<p>hi</p>"))(rf.get("/"))
    assert directives(response["Content-Security-Policy"])["img-src"] == ["'self'", "data:"]


def test_configured_image_origins_are_allowed(settings, rf: RequestFactory):
    settings.CSP_EXTRA_IMG_SRC = ["https://covers.publisher.example", "https://cdn.example"]
    response = middleware_answering(HttpResponse("<p>hi</p>"))(rf.get("/"))
    img_src = directives(response["Content-Security-Policy"])["img-src"]
    assert img_src[-2:] == ["https://covers.publisher.example", "https://cdn.example"]


class StorageWithoutUrls(FileSystemStorage):
    def url(self, name):
        raise NotImplementedError("no URLs here")


def test_a_storage_without_urls_does_not_stop_the_pages(settings, rf: RequestFactory, caplog):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.StorageWithoutUrls"},
    }
    response = middleware_answering(HttpResponse("<p>hi</p>"))(rf.get("/"))
    assert "img-src 'self' data:;" in response["Content-Security-Policy"]
    assert "no URL from the file storage" in caplog.text


def test_htmx_is_configured_to_stay_within_the_policy(client, db):
    page = client.get("/").content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page).group(1)
    assert '"includeIndicatorStyles": false' in config
    assert '"allowEval": false' in config


INLINE_CODE = {
    "inline <script>": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
    ),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def without_comments(template: str) -> str:
    return re.sub(r"{#.*?#}|{% comment %}.*?{% endcomment %}", "", template, flags=re.DOTALL)


def test_templates_have_no_inline_code_the_policy_would_block():
    # The reader's page has its own policy, which allows its import map by hash.
    templates = [
        path
        for path in BIBBLIX_DIR.glob("**/templates/**/*.html")
        if "reader" not in path.relative_to(BIBBLIX_DIR).parts
    ]
    assert len(templates) > 20
    found = [
        f"{path.relative_to(BIBBLIX_DIR)}: {what}"
        for path in templates
        for what, pattern in INLINE_CODE.items()
        if pattern.search(without_comments(path.read_text()))
    ]
    assert found == []
