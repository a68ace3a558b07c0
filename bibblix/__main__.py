"""`python -m bibblix demo` loads demo data; any other arguments go to manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibblix.settings")
    from django.core.management import execute_from_command_line

    from bibblix.lib.startup import load_settings_or_exit

    load_settings_or_exit()

    argv = sys.argv[:]
    if len(argv) > 1 and argv[1] == "demo":
        argv[1] = "load_demo_data"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
