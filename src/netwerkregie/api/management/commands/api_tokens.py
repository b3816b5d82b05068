from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from netwerkregie.api.models import ApiToken
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction


class Command(BaseCommand):
    help = "List API tokens, or revoke one by its id or prefix."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="All tokens with their state")
        revoke = sub.add_parser("revoke", help="Revoke a token")
        revoke.add_argument("token", help="id or prefix (a prefix that starts with '-' goes after '--')")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for token in ApiToken.objects.select_related("organisation"):
                expires = f"{timezone.localtime(token.expires_at):%Y-%m-%d}"
                state = (f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at
                         else f"expired {expires}" if token.has_expired() else f"active, expires {expires}")
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                self.stdout.write(f"{token.pk}\t{token.prefix}\t{token.organisation}\t{token.label or '-'}"
                                  f"\t{state}\tlast used {used}")
            return
        value = options["token"]
        token = (ApiToken.objects.filter(pk=int(value)) if value.isdigit() else ApiToken.objects.filter(
            prefix=value)).first()
        if token is None:
            raise CommandError(f"No token with id or prefix {value!r}.")
        if token.revoked_at:
            raise CommandError(f"Token {token.pk} was already revoked.")
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            log_event(AuditAction.UPDATE, actor_label="manage.py api_tokens", obj=token, reason="revoked")
        self.stdout.write(f"Token {token.pk} ({token.prefix}…) of {token.organisation} revoked.")
