import io
import json
import re

from PIL import Image


def test_service_worker_is_served_for_the_reader_scope(client):
    response = client.get("/read/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/read/"
    shell = json.loads(re.search(r"const SHELL = (\[.*?\])", response.content.decode())[1])
    assert "/static/vendor/foliate-js/view.js" in shell
    assert "/static/reader/reader.js" in shell


def test_every_file_of_the_offline_shell_exists(client):
    body = client.get("/read/sw.js").content.decode()
    for url in json.loads(re.search(r"const SHELL = (\[.*?\])", body)[1]):
        response = client.get(url)
        assert response.status_code == 200, url


def test_web_app_manifest_makes_bibblix_installable(client):
    response = client.get("/read/app.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Bibblix"
    assert manifest["start_url"] == manifest["scope"] == "/read/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO(client.get(icon["src"]).content))
        assert image.format == "PNG"
        assert f"{image.width}x{image.height}" == icon["sizes"]


def test_unknown_icon_size_is_not_found(client):
    assert client.get("/read/icons/icon-77.png").status_code == 404


def test_reader_page_links_the_web_app_manifest(child, loan):
    html = child.get(f"/read/{loan.book_id}/").content.decode()
    assert 'rel="manifest" href="/read/app.webmanifest"' in html


def test_shelf_lists_the_childs_loans(child, loan):
    html = child.get("/read/").content.decode()
    assert loan.book.title in html
    assert f"/read/{loan.book_id}/" in html


def test_every_reader_module_is_in_the_offline_shell(client):
    from pathlib import Path

    body = client.get("/read/sw.js").content.decode()
    shell = set(json.loads(re.search(r"const SHELL = (\[.*?\])", body)[1]))
    static = Path(__file__).resolve().parent.parent / "static" / "reader"
    modules = {f"/static/reader/{p.name}" for p in static.glob("*.js")}
    # logout-purge.js is for pages outside the reader; it is not needed to read offline.
    assert modules - shell == {"/static/reader/logout-purge.js"}
