"""The demo municipality for tests that only read it, loaded once per worker instead of once per test.

``load_demo()`` runs ``manage.py load_demo`` the first time, and keeps a copy of the whole SQLite test
database as it then stands (SQLite's online backup, into memory). Each later call in the same worker, from
the same starting point, copies that database back instead of loading the demo again: the same rows, ids,
audit chain and password, in milliseconds instead of the seconds (with the three years of history, most of a
minute) that the command takes. The browser sweeps load the demo in every test, so this is most of what
they cost.

It copies only where that is the same as loading: on SQLite, outside a transaction (a transactional or
live-server test, whose database is emptied after it anyway), from a database that holds what such a test
starts with. Anywhere else it runs the command.

``demo_for_the_module()`` is the same saving for the ordinary (rolled-back) database tests of a module that
all read the demo, on both databases: loaded once per module and worker.
"""

import sqlite3
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from netwerkregie.core.audit import GENESIS_HASH
from netwerkregie.core.models import AuditChainHead, User
from netwerkregie.network.models import Organisation

# (arguments, day, what the database held before) -> (the database after loading, the demo password)
_LOADED: dict[tuple[object, ...], tuple[sqlite3.Connection, str]] = {}


def _starting_point(args: tuple[str, ...]) -> tuple[object, ...] | None:
    """What decides the demo's rows: the arguments, the day (the demo's dates count from today) and the rows
    already there. None where a copy is not the same as loading."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    head = AuditChainHead.objects.values_list("sequence", flat=True).first()
    return (args, timezone.localdate(), head, User.objects.count(), Organisation.objects.count(),
            tuple(settings.FIELD_ENCRYPTION_KEYS))


def load_demo(*args: str) -> None:
    """``call_command("load_demo", *args)``, copied from this worker's first load where that is the same."""
    key = _starting_point(args)
    password_file = settings.VAR_DIR / "demo-password"
    if key is None or key not in _LOADED:
        call_command("load_demo", *args, stdout=StringIO())
        if key is not None:
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.ensure_connection()
            connection.connection.backup(copy)
            _LOADED[key] = (copy, password_file.read_text())
        return
    copy, password = _LOADED[key]
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text(password)
    connection.ensure_connection()
    copy.backup(connection.connection)


def demo_for_the_module(*args: str) -> Callable[..., Iterator[Path]]:
    """A module-scoped fixture for a module whose every database test reads the demo: ``load_demo *args`` once,
    in a transaction around the module's tests (each test's own transaction nests in it as a savepoint, so
    what a test writes is undone after it), rolled back after the last one. Gives the demo's var directory
    (its password file)."""

    @pytest.fixture(scope="module")
    def loaded(django_db_setup: None, django_db_blocker: Any,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
        var_dir = tmp_path_factory.mktemp("demo-var")
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            # As the autouse fixtures of tests/conftest.py set them for a test.
            with override_settings(
                    DEMO=True, VAR_DIR=var_dir, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                    EMAIL_BACKEND="netwerkregie.core.outbox.OutboxBackend",
                    MAILER_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                    PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
                    AUDIT_WITNESS_PATH=str(tmp_path_factory.mktemp("demo-witness") / "audit-chain.jsonl"),
                    AUDIT_WITNESS_SYSLOG=""):
                AuditChainHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH})
                call_command("load_demo", *args, stdout=StringIO())
        yield var_dir
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    return loaded
