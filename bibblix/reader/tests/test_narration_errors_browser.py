"""Narration highlights without filling the console with foliate-js errors (the reader
replaces foliate-js's own highlighter, which failed on the first section and right pages)."""

import pytest

from .browser_helpers import log_in, open_reader, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.django_db(transaction=True)]

HIGHLIGHTED = """() => window.bibblixReader.view.renderer.getContents().some(({ doc }) =>
    doc.querySelector('.bibblix-narrating'))"""


@pytest.mark.parametrize(
    ("device_name", "file", "layout"),
    [
        ("phone", "sample_mol-navigation_mo.epub", "reflowable"),
        ("tablet", "sample_mol-timing-synchronization-fxl_mo.epub", "fixed"),
    ],
)
def test_narration_highlight_raises_no_script_error(
    request, device_name, file, layout, live_server, lend_sample_book, patron_ale
):
    device = request.getfixturevalue(device_name)
    errors = []
    device.on("pageerror", lambda error: errors.append(str(error)))
    book = lend_sample_book(patron_ale, file, "Uppläst", has_media_overlays=True, layout=layout)
    log_in(device.context, live_server, patron_ale)
    open_reader(device, book.pk)
    device.get_by_role("button", name="Läs högt").click()
    device.get_by_role("button", name="Spela / pausa").click()
    wait_until(device, HIGHLIGHTED, timeout=15_000)
    device.wait_for_timeout(500)  # let any failing handler of the same highlight report
    device.get_by_role("button", name="Spela / pausa").click()
    assert errors == []
