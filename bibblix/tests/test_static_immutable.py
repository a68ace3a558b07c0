"""In production, fingerprinted static files are served `immutable` for ten years, so browsers
and a CDN keep them; a name without its hash is not (its content may change with a deploy).
Run with the production settings in a subprocess (they refuse to load inside the test run)."""

import json
import subprocess
import sys

from .test_production_mode import ROOT, SAFE

HASHED = "bibblix/site.0123456789ab.css"

PROBE = """
import django
django.setup()
from django.http import HttpResponse
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

middleware = WhiteNoiseMiddleware(lambda request: HttpResponse("not a static file"))
for path in ("/static/%s", "/static/bibblix/site.css"):
    response = middleware(RequestFactory().get(path))
    print(response.status_code, response.get("Cache-Control", ""))
"""


def test_fingerprinted_static_files_are_served_immutable_in_production(tmp_path):
    static = tmp_path / "static"
    (static / "bibblix").mkdir(parents=True)
    for name in (HASHED, "bibblix/site.css"):
        (static / name).write_text("body { color: black; }\n")
    # What collectstatic's manifest storage writes (the real run compresses every file: slow).
    manifest = {"paths": {"bibblix/site.css": HASHED}, "version": "1.1", "hash": "0" * 12}
    (static / "staticfiles.json").write_text(json.dumps(manifest))
    environment = {
        **SAFE,
        "DJANGO_SETTINGS_MODULE": "bibblix.settings",
        "STATIC_ROOT": str(static),
        "BIBBLIX_VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(  # noqa: S603 (our own settings, a fixed probe)
        [sys.executable, "-c", PROBE % HASHED],
        env=environment,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    hashed, plain = result.stdout.strip().splitlines()
    assert hashed.startswith("200 ") and "immutable" in hashed and "max-age=315360000" in hashed
    assert plain.startswith("200 ") and "immutable" not in plain
