import logging

from bibblix.lib.logging import RedactPersonalData, redact


def test_card_numbers_pins_and_emails_are_masked():
    line = redact("login card=20000001 pin=1234 for anna@example.se from 10.0.0.1 took 0.25 s")
    assert "20000001" not in line
    assert "1234" not in line
    assert "anna@example.se" not in line
    assert "10.0.0.1" in line  # short numbers and addresses are not card numbers
    assert "0.25" in line


def test_filter_masks_formatted_arguments():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "card %s refused", ("4711000012345",), None
    )
    RedactPersonalData().filter(record)
    assert record.getMessage() == "card [number] refused"


def test_configured_logging_passes_through_the_filter(caplog, settings):
    handler = logging.getLogger().handlers[0]
    assert any(isinstance(f, RedactPersonalData) for f in handler.filters)


def test_log_level_also_quiets_djangos_own_loggers():
    import os
    import subprocess
    import sys

    script = (
        "import logging, django; django.setup();"
        "logging.getLogger('django.request').warning('Conflict: /api/v1/loans');"
        "logging.getLogger('django.request').error('Server error: /api/v1/loans')"
    )
    for level, shown in [("ERROR", ["Server error"]), ("INFO", ["Conflict", "Server error"])]:
        environment = {
            **os.environ,
            "LOG_LEVEL": level,
            "DJANGO_SETTINGS_MODULE": "bibblix.settings",
        }
        result = subprocess.run(
            [sys.executable, "-c", script], env=environment, capture_output=True, text=True
        )
        assert [text for text in ("Conflict", "Server error") if text in result.stderr] == shown
