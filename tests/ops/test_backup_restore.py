"""The restore drill: what a restore brings back, and what it must never bring back."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from netwerkregie.core.audit import verify_chain
from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.ops import sealed
from netwerkregie.ops.backup import BackupError, backup, restore
from netwerkregie.people.models import Person
from netwerkregie.privacy import services as privacy
from netwerkregie.privacy.purge import purge, reapply
from tests.intake_helpers import submit
from tests.privacy.test_purge import decided


def empty_database() -> None:
    """A new, empty database in place of the current one (what an operator restores into)."""
    if connection.vendor == "sqlite":
        connections.close_all()
        name = Path(connection.settings_dict["NAME"])
        for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
            path.unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


@pytest.mark.django_db(transaction=True)
def test_restore_drill(users, time_machine, tmp_path: Path) -> None:
    partner, officer = users[Role.PARTNER], users[Role.PRIVACY_OFFICER]
    acknowledged = submit(partner.organisation, partner, subject_name="Bram Voorafgaand")
    unfounded = decided(users, "Quirine Zeldenrust", "closed_no_concern")  # purged 28 days after the decision
    erased = decided(users, "Erik Wisman", "monitoring")
    erasure = privacy.register_request(kind="erasure", person=erased.person, received_on=timezone.localdate(),
                                       handler=officer, actor=officer)
    path = backup(tmp_path)

    # After the backup: more data, a purge and an erasure.
    later = submit(partner.organisation, partner, subject_name="Lotte Nadien")
    time_machine.move_to(timezone.now() + datetime.timedelta(days=29))
    call_command("purge", stdout=StringIO())
    assert not Signal.objects.filter(pk=unfounded.pk).exists()
    report = privacy.answer_request(erasure, status="done", outcome="Verwijderd op verzoek.", actor=officer)
    assert report is not None
    assert report.deleted == 2
    assert not Person.objects.filter(pk=erased.person_id).exists()
    erasure_person_id, unfounded_person_id = erased.person_id, unfounded.person_id

    empty_database()
    out = StringIO()
    call_command("restore", str(path), stdout=out)

    check = verify_chain()
    assert check.intact, check.problem
    assert Signal.objects.filter(pk=acknowledged.pk).exists()  # acknowledged before the backup: back
    assert not Signal.objects.filter(pk=later.pk).exists()  # after the backup: lost (the RPO)
    for pk in (unfounded.pk, erased.pk):  # deleted after the backup: never back
        assert not Signal.objects.filter(pk=pk).exists()
    assert not Person.objects.filter(pk__in=[erasure_person_id, unfounded_person_id]).exists()
    assert AuditEvent.objects.filter(action="restore").count() == 1
    reapplied = AuditEvent.objects.filter(action="purge", reason="re-applied after restore")
    assert {(e.object_type, e.object_id) for e in reapplied} >= {
        ("intake.signal", str(unfounded.pk)), ("intake.signal", str(erased.pk)),
        ("people.person", str(erasure_person_id))}
    assert "re-applied" in out.getvalue()
    assert "Audit chain intact" in out.getvalue()

    # The restored system writes on, and the chain still verifies against the witness.
    submit(partner.organisation, partner, subject_name="Nina Hersteld")
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(users, tmp_path: Path) -> None:
    path = backup(tmp_path)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))


def test_a_backup_is_encrypted_and_a_changed_or_cut_file_is_refused(tmp_path: Path) -> None:
    key = sealed.load_key(sealed.new_key())
    plain = tmp_path / "plain"
    plain.write_bytes(b"Zeldenrust " * 300_000)  # more than two chunks
    target = tmp_path / "sealed"
    with plain.open("rb") as source, target.open("wb") as sink:
        sealed.seal(source, sink, key)
    data = target.read_bytes()
    assert b"Zeldenrust" not in data

    def opened(content: bytes, with_key: bytes = key) -> bytes:
        (tmp_path / "in").write_bytes(content)
        with (tmp_path / "in").open("rb") as source, (tmp_path / "out").open("wb") as sink:
            sealed.unseal(source, sink, with_key)
        return (tmp_path / "out").read_bytes()

    assert opened(data) == plain.read_bytes()
    changed = bytearray(data)
    changed[len(data) // 2] ^= 1
    for broken in (bytes(changed), data[: len(data) - 100], data[: len(data) // 2], data + b"x"):
        with pytest.raises(sealed.SealError):
            opened(broken)
    with pytest.raises(sealed.SealError, match="key"):
        opened(data, sealed.load_key(sealed.new_key()))
    with pytest.raises(sealed.SealError, match="32"):
        sealed.load_key("too-short")


@pytest.mark.django_db
def test_no_backup_without_a_key(settings, tmp_path: Path) -> None:
    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(BackupError, match="BACKUP_ENCRYPTION_KEY"):
        backup(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_a_restore_with_the_wrong_key_changes_nothing(users, settings, tmp_path: Path) -> None:
    path = backup(tmp_path)
    empty_database()
    settings.BACKUP_ENCRYPTION_KEY = sealed.new_key()
    with pytest.raises(BackupError, match="decrypted"):
        restore(path, reapply=lambda label, pk: reapply(label, pk, rule_name="re-applied after restore"),
                purge=lambda: purge().deleted)
    assert connection.introspection.table_names() == []
    call_command("migrate", verbosity=0)  # leave a usable database for the flush that follows
