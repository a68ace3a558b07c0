"""Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS.

Key rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old one after it), run
this command, then drop the old key. Safe to run again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from bibblix.lib.encryption import EncryptedTextField, encrypt


class Command(BaseCommand):
    help = "Re-encrypt stored secrets with the newest key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        for model in apps.get_models():
            names = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
            if not names:
                continue
            count = 0
            with transaction.atomic():
                for row in model._default_manager.select_for_update().only("pk", *names):
                    # Reading decrypts with any key; encrypt() uses the first one.
                    values = {name: encrypt(getattr(row, name)) for name in names}
                    model._default_manager.filter(pk=row.pk).update(**values)
                    count += 1
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
