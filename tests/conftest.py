"""Fixed, named users per role (and one with no role, who is always denied), and clients
that have passed both sign-in steps."""

import os
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path

import psycopg
import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.core.audit import GENESIS_HASH
from netwerkregie.core.models import AuditChainHead, RoleAssignment, User
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector

# Threads in the tests (live servers, concurrent writers) close their connections after each request, as
# before persistent connections (DATABASE_CONN_MAX_AGE): none is left open when the test database is dropped.
django_settings.DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD = "correct horse battery staple"

# A named person per role, so a failing test reads like a story.
NAMES = {
    Role.COORDINATOR: "carla",
    Role.CORE_PARTNER: "koen",
    Role.CASE_MANAGER: "cas",
    Role.PARTNER: "petra",
    Role.PROGRAMME_OFFICER: "paul",
    Role.PRIVACY_OFFICER: "priya",
    Role.ANALYST: "anna",
    Role.ADMIN: "arie",
    Role.RECIPIENT: "rita",
    Role.APPROVER: "fien",
}
NO_ROLE = "nora"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Argon2 is the production hasher (tested in test_accounts); fixtures use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings: pytest.FixtureRequest) -> None:
    """pytest-django sends mail straight to locmem; here it goes through the outbox as in production, and the
    job delivers to locmem (``tests.mail_helpers.delivered``)."""
    settings.EMAIL_BACKEND = "netwerkregie.core.outbox.OutboxBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _private_media(settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files (covenants) go to a temporary directory, never into the working tree."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private-media")


@pytest.fixture(autouse=True)
def _audit_witness(settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test has its own witness file: the database is rolled back or flushed between tests,
    and a witness shared across them would (rightly) report every later chain as rewritten."""
    settings.AUDIT_WITNESS_PATH = str(tmp_path_factory.mktemp("witness") / "audit-chain.jsonl")
    settings.AUDIT_WITNESS_SYSLOG = ""


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """The database is rolled back between tests, so the chain's data version repeats: what one test
    computed and kept (the figures) must not be found by the next."""
    from django.core.cache import cache

    from netwerkregie.reports import kept

    cache.clear()
    kept.KNOWN.clear()
    kept.KNOWN.changed_hash = ""


@pytest.fixture(autouse=True)
def _engine_marks(request: pytest.FixtureRequest) -> None:
    for mark, vendor in (("sqlite_only", "sqlite"), ("postgres_only", "postgresql")):
        if request.node.get_closest_marker(mark) and connection.vendor != vendor:
            pytest.fail(f"{request.node.nodeid} needs {vendor}; deselect it with -m 'not {mark}'")


@pytest.fixture(autouse=True)
def _audit_chain_genesis(request: pytest.FixtureRequest) -> None:
    """Transactional tests end with a flush, which also empties the rows that migrations create
    (the chain head of core.0002, the catalogues of intake.0003); put them back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    AuditChainHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH})
    if transactional:  # the flush also emptied the catalogues that migrations seed
        for migration in ("intake.migrations.0003_catalogues", "network.migrations.0003_contact_topics",
                          "cases.migrations.0002_intervention_catalogue"):
            import_module(f"netwerkregie.{migration}").seed(django_apps, None)


@pytest.fixture
def own_database() -> Iterator[str]:
    """A PostgreSQL database of this test's own on the test server, for the servers a test starts in other
    processes: other tests' processes (and other pytest-xdist workers) write to the server's default
    database, and their rows and audit events would mix with this test's."""
    server = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = f"own_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield server._replace(path=f"/{name}").geturl()
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def municipality(db: None) -> Organisation:
    return Organisation.objects.get_or_create(
        name="Gemeente Teststad", defaults={"sector": Sector.MUNICIPALITY}
    )[0]


def make_user(name: str, *roles: str, organisation: Organisation | None = None) -> User:
    user = User.objects.create_user(
        f"{name}@example.nl", PASSWORD, full_name=name.title(), organisation=organisation
    )
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@pytest.fixture
def users(db: None, municipality: Organisation) -> dict[str, User]:
    """One user per role code, plus 'nobody' without any role."""
    return everyone_with_a_role(municipality)


def everyone_with_a_role(municipality: Organisation) -> dict[str, User]:
    people = {role: make_user(name, role, organisation=municipality) for role, name in NAMES.items()}
    people["nobody"] = make_user(NO_ROLE, organisation=municipality)
    return people


def verified_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str], Client]:
    return lambda who: verified_client(users[who])


# The slowest tests start first within each of pytest-django's three blocks (database tests, then transactional
# ones such as the browser tests, then tests without a database), so that at the end of a run the workers share
# out short tests instead of one finishing a two-minute browser sweep while the other waits.
# Only the browser tests move (they came first among the transactional tests already, after those of accounts, api and
# approvals): the rest keep the order they have always run in. (With tests/ops/ first, the restore drill's new
# database file was read by forked processes of the audit chain's tests while this process kept the old one.)
STARTS_FIRST = ("tests/browser/test_axe_sweep.py::test_every_page_passes_axe_loads_its_assets_and_is_photographed"
                "[netwerkregisseur]", "tests/browser/test_whole_path.py", "tests/browser/test_axe_sweep.py",
                "tests/browser/")


def _django_block(item: pytest.Item) -> int:
    """pytest-django's order: 0 database tests (rolled back), 1 transactional (the database emptied after each, so
    they come after every rolled-back test), 2 without a database."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (marker is not None and marker.kwargs.get("transaction", False)) or \
            "transactional_db" in fixtures or "live_server" in fixtures:
        return 1
    return 0 if marker is not None or "db" in fixtures else 2


def _starts_first(item: pytest.Item) -> int:
    return next((n for n, prefix in enumerate(STARTS_FIRST) if item.nodeid.startswith(prefix)), len(STARTS_FIRST))


@pytest.hookimpl(hookwrapper=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> Iterator[None]:
    """After the other plugins (pytest-django has put the tests in its blocks): the slowest first in each block."""
    yield
    items.sort(key=lambda item: (_django_block(item), _starts_first(item)))


# Modules whose tests all read one demo loaded for the module (``tests.demo_snapshot.demo_for_the_module``).
DEMO_MODULES = frozenset(
    path.relative_to(Path(__file__).parent.parent).as_posix() for path in Path(__file__).parent.rglob("test_*.py")
    if "demo_for_the_module(" in path.read_text())


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``--dist loadgroup`` (make test): tests are handed out one by one in the order above, except that each module in
    ``DEMO_MODULES`` goes to one worker as a whole, so its demo is loaded once per run rather than once per worker
    (half a minute with the history). pytest-xdist's own loadgroup reads ``xdist_group`` marks by renaming
    ``item._nodeid``, which pytest 9 no longer reads; this scheduler decides from the path instead."""
    from xdist.scheduler import LoadScopeScheduling

    if config.getvalue("dist") != "loadgroup":
        return None

    class DemoModulesTogether(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in DEMO_MODULES else nodeid

    return DemoModulesTogether(config, log)
