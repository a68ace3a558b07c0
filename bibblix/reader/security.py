"""Content-Security-Policy headers for the reader.

foliate-js renders chapters in same-origin `blob:` iframes (and needs `allow-scripts` in their
sandbox because of a WebKit bug), so the iframe sandbox alone cannot stop a book's scripts. The
policy does: `blob:` documents inherit the page's policy, and `script-src 'self'` allows only our
own files, never inline code or `blob:` scripts from a book. Entries and files served on their
own carry `sandbox` without `allow-scripts`, so opening one directly runs nothing either.
"""

from bibblix.lib.csp import storage_origin


def reader_csp(script_sources: tuple[str, ...] = ()) -> str:
    """The reader page's policy; `script_sources` adds hashes of inline import maps. With object
    storage the book file comes from the bucket (a redirect to a presigned URL): connect to it."""
    policy = READER_CSP.replace(
        "script-src 'self'", " ".join(["script-src 'self'", *script_sources])
    )
    origin = storage_origin()
    return (
        policy.replace("connect-src 'self'", f"connect-src 'self' {origin}") if origin else policy
    )


READER_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Book style sheets and style attributes arrive inline or as blob: URLs.
        "style-src 'self' 'unsafe-inline' blob:",
        "img-src 'self' blob: data:",
        "font-src 'self' blob: data:",
        "media-src 'self' blob:",
        "frame-src 'self' blob:",
        "child-src 'self' blob:",
        "worker-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
ENTRY_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; media-src 'self'; frame-ancestors 'self'"
)
FILE_CSP = "sandbox; default-src 'none'"


def with_csp(response, policy: str):
    """`response` with the given Content-Security-Policy header."""
    response["Content-Security-Policy"] = policy
    return response
