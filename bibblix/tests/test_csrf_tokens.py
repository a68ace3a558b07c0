"""The cached pages' CSRF tokens (bibblix.lib.csrf) are Django's, made with fewer system calls."""

from collections import Counter

from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
    _unmask_cipher_token,
)
from django.test import RequestFactory

from bibblix.lib import csrf


def test_random_strings_use_the_whole_alphabet_evenly():
    sample = "".join(csrf.random_string(CSRF_SECRET_LENGTH) for _ in range(4000))
    counts = Counter(sample)
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = len(sample) / len(CSRF_ALLOWED_CHARS)  # about 2,065 each
    # A plain byte % 62 would give the first eight letters 25 % more; chance alone stays
    # within 12 % (over 5 standard deviations).
    assert all(abs(count - expected) < 0.12 * expected for count in counts.values())


def _middleware():
    return CsrfViewMiddleware(lambda request: HttpResponse("ok"))


def test_a_first_visit_gets_a_new_secret_that_the_middleware_sends_as_its_cookie():
    request = RequestFactory().get("/")
    middleware = _middleware()
    middleware.process_request(request)
    token = csrf.get_token(request)
    assert len(token) == 2 * CSRF_SECRET_LENGTH
    secret = request.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(token) == secret
    response = middleware.process_response(request, HttpResponse("page"))
    assert response.cookies["csrftoken"].value == secret


def test_django_accepts_the_token_on_a_post_and_refuses_it_altered():
    secret = csrf.random_string(CSRF_SECRET_LENGTH)
    page = RequestFactory().get("/")
    page.COOKIES["csrftoken"] = secret
    middleware = _middleware()
    middleware.process_request(page)
    token = csrf.get_token(page)
    assert page.META["CSRF_COOKIE"] == secret  # the visitor's own secret, not a new one
    assert csrf.get_token(page) != token  # a fresh mask each time (BREACH)

    def post(sent: str):
        request = RequestFactory().post("/", {"csrfmiddlewaretoken": sent}, secure=False)
        request.COOKIES["csrftoken"] = secret
        middleware.process_request(request)
        return middleware.process_view(request, lambda r: HttpResponse("ok"), (), {})

    assert post(token) is None  # accepted: the view runs
    altered = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert post(altered).status_code == 403
