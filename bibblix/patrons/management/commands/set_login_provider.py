"""Set how a library checks library cards: `local` or `sip2 --host H --port P ...`."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bibblix.members import services as members
from bibblix.patrons import services
from bibblix.patrons.models import LoginProvider


class Command(BaseCommand):
    help = "Set a library's login provider: the local card register or its SIP2 library system."

    def add_arguments(self, parser):
        parser.add_argument("library_id", type=int)
        parser.add_argument("kind", choices=[k.value for k in LoginProvider.Kind])
        parser.add_argument("--host")
        parser.add_argument("--port", type=int)
        parser.add_argument("--tls", action="store_true", help="Connect with TLS.")
        parser.add_argument("--no-verify-tls", action="store_true")
        parser.add_argument("--sc-user")
        parser.add_argument("--sc-password", help='The SIP password; "-" reads it from stdin.')
        parser.add_argument("--institution")
        parser.add_argument("--location")
        parser.add_argument("--timeout", type=float)
        parser.add_argument("--patron-status", action="store_true", help="Use 23/24, not 63/64.")
        parser.add_argument("--allowed-classes", help="Comma-separated patron classes.")

    def handle(self, *args, **options):
        library = members.get_library(options["library_id"])
        if library is None:
            raise CommandError(f"No library with id {options['library_id']}.")
        fields = {}
        if options["kind"] == LoginProvider.Kind.SIP2:
            fields = self._sip2_fields(options)
        try:
            provider = services.set_login_provider(library, options["kind"], **fields)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"{library} (id {library.pk}): {provider}"))

    def _sip2_fields(self, options) -> dict:
        pairs = {
            "host": "host",
            "port": "port",
            "sc_user": "sc_user",
            "sc_password": "sc_password",
            "institution_id": "institution",
            "location_code": "location",
            "timeout_seconds": "timeout",
            "allowed_patron_classes": "allowed_classes",
        }
        if options["sc_password"] == "-":  # noqa: S105 - "-" means: read it from stdin
            options["sc_password"] = sys.stdin.readline().rstrip("\r\n")
        fields = {field: options[opt] for field, opt in pairs.items() if options[opt] is not None}
        fields["use_tls"] = options["tls"]
        fields["verify_tls"] = not options["no_verify_tls"]
        fields["message"] = (
            LoginProvider.Message.PATRON_STATUS
            if options["patron_status"]
            else LoginProvider.Message.PATRON_INFORMATION
        )
        return fields
