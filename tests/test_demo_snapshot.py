"""The demo copied back by tests/demo_snapshot.py is the demo the command loads: same rows, same password, an
intact audit chain. (What the browser sweeps stand on.)"""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from netwerkregie.core.audit import GENESIS_HASH, verify_chain
from netwerkregie.core.models import AuditChainHead, AuditEvent
from tests import demo_snapshot
from tests.network.test_load_demo_history import snapshot

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]


def empty_as_a_transactional_test_starts() -> None:
    call_command("flush", interactive=False, verbosity=0)
    AuditChainHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH})
    for migration in ("intake.migrations.0003_catalogues", "network.migrations.0003_contact_topics",
                      "cases.migrations.0002_intervention_catalogue"):
        import_module(f"netwerkregie.{migration}").seed(django_apps, None)


def test_the_copied_demo_is_the_loaded_demo(settings: object, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_snapshot, "_LOADED", {})  # this worker's earlier loads do not count
    settings.DEMO, settings.VAR_DIR = True, tmp_path / "first"  # type: ignore[attr-defined]
    demo_snapshot.load_demo("--no-history")
    loaded = snapshot()
    events = list(AuditEvent.objects.order_by("sequence").values_list("sequence", "hash"))
    password = (tmp_path / "first" / "demo-password").read_text()
    assert len(demo_snapshot._LOADED) == 1

    empty_as_a_transactional_test_starts()
    assert AuditEvent.objects.count() == 0
    settings.VAR_DIR = tmp_path / "second"  # type: ignore[attr-defined]
    demo_snapshot.load_demo("--no-history")
    assert snapshot() == loaded
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", "hash")) == events
    assert (tmp_path / "second" / "demo-password").read_text() == password
    assert verify_chain().intact
