"""Refusing to start unsafe: settings raise UnsafeSettings, the entry points (manage.py, wsgi,
asgi, `python -m bibblix`) turn it into one line on stderr and an exit, never a traceback.

Exit status 3 is gunicorn's "worker failed to boot": its arbiter stops instead of starting the
same failing worker again and again.
"""

import sys

from django.core.exceptions import ImproperlyConfigured

EXIT_STATUS = 3


class UnsafeSettings(ImproperlyConfigured):
    """A setting that must not be used in this mode; the message names the variable."""


def load_settings_or_exit() -> None:
    """Import the settings now, so an unsafe production set-up stops the process cleanly."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018  (the first access imports the settings module)
    except UnsafeSettings as refusal:
        print(f"Bibblix will not start: {refusal}", file=sys.stderr)
        sys.exit(EXIT_STATUS)
