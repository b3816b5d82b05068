from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from netwerkregie.core.audit import log_event
from netwerkregie.core.crypto import EncryptedDateField, EncryptedTextField
from netwerkregie.core.models import AuditAction


class Command(BaseCommand):
    help = ("Re-encrypt every encrypted field under the first key of FIELD_ENCRYPTION_KEYS. Put the new key "
            "first, run this, then remove the old key.")

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            fields = [f.name for f in model._meta.concrete_fields
                      if isinstance(f, EncryptedTextField | EncryptedDateField)]
            if not fields:
                continue
            with transaction.atomic():
                for row in model._base_manager.values("pk", *fields).iterator(chunk_size=500):
                    pk = row.pop("pk")
                    model._base_manager.filter(pk=pk).update(**row)  # read decrypts, write encrypts anew
                    total += 1
            self.stdout.write(f"{model._meta.label}: {', '.join(fields)}")
        log_event(AuditAction.UPDATE, actor_label="manage.py rotate_field_keys", object_type="encryption",
                  reason="field keys rotated", detail={"rows": total})
        self.stdout.write(f"Re-encrypted {total} rows under the first key.")
