from getpass import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, RoleAssignment, User
from netwerkregie.core.roles import Role, exclusive_combination


class Command(BaseCommand):
    help = ("Create a user with one or more roles; asks for the password unless --password-stdin. This is how a "
            "fresh installation gets its first administrator and its data protection officer: on the command line, "
            "outside the application, and audited. In the application every grant of a role that sees personal "
            "data or oversees others waits for a second person.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="Full name")
        parser.add_argument("--role", action="append", choices=Role.values, required=True)
        parser.add_argument("--organisation-id", type=int, default=None)
        parser.add_argument("--password-stdin", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if exclusive_combination(set(options["role"])):
            raise CommandError("One account cannot be both administrator and data protection officer.")
        if User.objects.filter(email__iexact=options["email"]).exists():
            raise CommandError(f"A user with e-mail {options['email']} already exists.")
        password = input() if options["password_stdin"] else getpass("Password: ")
        candidate = User(email=options["email"], full_name=options["name"])
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            user = User.objects.create_user(
                options["email"], password, full_name=options["name"],
                organisation_id=options["organisation_id"],
            )
            for role in sorted(set(options["role"])):
                RoleAssignment.objects.create(user=user, role=role)
            log_event(AuditAction.CREATE, obj=user, actor_label="manage.py create_user",
                      detail={"roles": sorted(set(options["role"]))})
        self.stdout.write(f"Created {user.email} with roles {', '.join(sorted(user.roles))}.")
