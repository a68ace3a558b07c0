"""Set up the object-storage bucket the reader gets book files from (STORAGE_BACKEND=s3).

Idempotent: run it at every start-up (compose.yaml's `storage-setup` service does). One line
per step; exits non-zero when the bucket is missing or readable by everyone."""

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from bibblix.lib import objects


def site_origins() -> list[str]:
    """The site's origins: CSRF_TRUSTED_ORIGINS, else https://<host> for each ALLOWED_HOSTS."""
    origins = [origin.rstrip("/") for origin in settings.CSRF_TRUSTED_ORIGINS if "*" not in origin]
    if origins:
        return sorted(set(origins))
    hosts = [host for host in settings.ALLOWED_HOSTS if host and not host.startswith((".", "*"))]
    return sorted({f"https://{host}" for host in hosts})


class Command(BaseCommand):
    help = (
        "Apply the bucket's CORS rule (GET with Range from the site's origins) and check that "
        "the bucket is private (no public ACL grant, no public bucket policy)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--origin",
            action="append",
            default=[],
            help="an origin allowed to fetch book files (repeatable); default: "
            "CSRF_TRUSTED_ORIGINS, else https://<each ALLOWED_HOSTS>",
        )

    def handle(self, *args, origin: list[str], **options):
        from botocore.exceptions import BotoCoreError, ClientError

        storage = storages["default"]
        if not objects.is_remote(storage):
            self.stdout.write("storage: local files (STORAGE_BACKEND is not s3), nothing to do")
            return
        client, bucket = storage.connection.meta.client, storage.bucket_name
        try:
            client.head_bucket(Bucket=bucket)
        except (ClientError, BotoCoreError) as error:
            raise CommandError(f"bucket {bucket}: not reachable ({error})") from error
        self.stdout.write(f"bucket {bucket}: reachable at {client.meta.endpoint_url}")

        origins = sorted({o.rstrip("/") for o in origin}) or site_origins()
        if not origins:
            raise CommandError("CORS: no origin (set CSRF_TRUSTED_ORIGINS or pass --origin)")
        changed = objects.apply_cors(client, bucket, origins)
        state = "applied" if changed else "already in place"
        self.stdout.write(f"CORS: GET/HEAD with Range from {', '.join(origins)}: {state}")

        grants = objects.public_acl_grants(client, bucket)
        if grants:
            raise CommandError(f"ACL: PUBLIC ({'; '.join(grants)}): make the bucket private")
        self.stdout.write("ACL: private (no grant to everyone)")

        try:
            statements = objects.public_policy_statements(client, bucket)
        except ClientError as error:
            raise CommandError(f"policy: could not be read ({error})") from error
        if statements:
            raise CommandError(
                f"policy: PUBLIC (statements allowing anyone: {', '.join(statements)}): "
                "remove them (e.g. `mc anonymous set none`)"
            )
        self.stdout.write(
            "policy: none" if statements is None else "policy: no statement allows anyone"
        )
        self.stdout.write(f"bucket {bucket}: ready")
