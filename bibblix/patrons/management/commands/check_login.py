"""Try a card against a library's login provider; the PIN is read from standard input."""

import sys
import time
from getpass import getpass

from django.core.management.base import BaseCommand, CommandError

from bibblix.members import services as members
from bibblix.patrons import services


class Command(BaseCommand):
    help = (
        "Check a library card and PIN against the library's login provider (the PIN is read "
        "from standard input) and print the outcome and how long it took. No lockout counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("library_id", type=int)
        parser.add_argument("card")

    def handle(self, *args, **options):
        library = members.get_library(options["library_id"])
        if library is None:
            raise CommandError(f"No library with id {options['library_id']}.")
        pin = self._read_pin()
        provider = services.login_provider_for(library)
        started = time.monotonic()
        outcome = services.check_card(library, options["card"], pin)
        elapsed = (time.monotonic() - started) * 1000
        connected = members.is_connected(library.municipality)
        self.stdout.write(f"library: {library} (id {library.pk}), provider: {provider.kind}")
        self.stdout.write(f"outcome: {outcome}")
        self.stdout.write(f"time: {elapsed:.0f} ms")
        if not connected:
            self.stdout.write(
                self.style.WARNING(
                    "note: the municipality is not connected; children cannot log in"
                )
            )

    def _read_pin(self) -> str:
        if sys.stdin.isatty():
            return getpass("PIN: ")
        pin = sys.stdin.readline().rstrip("\r\n")
        if not pin:
            raise CommandError("Give the PIN on standard input.")
        return pin
