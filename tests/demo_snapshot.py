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

import contextlib
import dataclasses
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


@dataclasses.dataclass
class ModuleRows:
    """Rows that every test of a module reads, built once in a transaction around the module (``rows_for_the_module``)
    under the settings the autouse fixtures of tests/conftest.py give a test: a fast hasher, the outbox, and private
    media, an audit witness and a var directory of the module's own (and demo mode, for the demo only)."""

    blocker: Any  # pytest-django's django_db_blocker: the database is reached only while the rows are written
    var_dir: Path
    media: Path
    witness: Path

    def build(self, write: Callable[[], Any], *, demo: bool = False) -> Any:
        """Call ``write`` (which writes the rows) under those settings; return what it returns."""
        with self.blocker.unblock(), override_settings(
                DEMO=demo, VAR_DIR=self.var_dir, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                EMAIL_BACKEND="netwerkregie.core.outbox.OutboxBackend",
                MAILER_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                PRIVATE_MEDIA_ROOT=self.media, AUDIT_WITNESS_PATH=str(self.witness), AUDIT_WITNESS_SYSLOG=""):
            AuditChainHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH})
            return write()


@contextlib.contextmanager
def rows_for_the_module(django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleRows]:
    """A transaction around a module's tests, for rows that every test of the module reads and that cost too much to
    build for each (the demo; the authorization matrix's sample): each test's own transaction nests in it as a
    savepoint, so what a test writes is undone after it, and the whole is rolled back after the last test."""
    rows = ModuleRows(django_db_blocker, var_dir=tmp_path_factory.mktemp("module-var"),
                      media=tmp_path_factory.mktemp("module-media"),
                      witness=tmp_path_factory.mktemp("module-witness") / "audit-chain.jsonl")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield rows
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def demo_for_the_module(*args: str) -> Callable[..., Iterator[Path]]:
    """A module-scoped fixture for a module whose every database test reads the demo: ``load_demo *args`` once, in
    ``rows_for_the_module``'s transaction. Gives the demo's var directory (its password file)."""

    @pytest.fixture(scope="module")
    def loaded(django_db_setup: None, django_db_blocker: Any,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
        with rows_for_the_module(django_db_blocker, tmp_path_factory) as rows:
            rows.build(lambda: call_command("load_demo", *args, stdout=StringIO()), demo=True)
            yield rows.var_dir

    return loaded
