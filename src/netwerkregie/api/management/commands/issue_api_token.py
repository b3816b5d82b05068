from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from netwerkregie.api.models import ApiToken
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction
from netwerkregie.network.models import Organisation


def find_organisation(value: str) -> Organisation:
    queryset = Organisation.objects.filter(pk=int(value)) if value.isdigit() else Organisation.objects.filter(
        name__iexact=value)
    organisation = queryset.first()
    if organisation is None:
        raise CommandError(f"No organisation with id or name {value!r}.")
    return organisation


class Command(BaseCommand):
    help = ("Issue an API token for an organisation (name or id). The token can only submit signals and "
            "read their status; it is printed once, as the last word of the output.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation")
        parser.add_argument("--label", default="", help="What the token is for, e.g. the partner system")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = find_organisation(options["organisation"])
        if not organisation.is_active:
            raise CommandError(f"{organisation} is inactive.")
        with transaction.atomic():
            record, token = ApiToken.issue(organisation, options["label"])
            log_event(AuditAction.CREATE, actor_label="manage.py issue_api_token", obj=record,
                      detail={"organisation": organisation.pk, "prefix": record.prefix})
        self.stdout.write(f"Token {record.pk} for {organisation} (prefix {record.prefix}), valid until "
                          f"{timezone.localtime(record.expires_at):%Y-%m-%d}. "
                          f"Store it now; it is not shown again: {token}")
