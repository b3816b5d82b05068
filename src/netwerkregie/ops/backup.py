"""Backups that restore, and restores that never bring deleted personal data back.

A backup is one encrypted file (see ``sealed``) holding a tar archive: ``manifest.json``, the
database (SQLite: a consistent copy through SQLite's online backup API; PostgreSQL: ``pg_dump`` in
custom format) and the private media (uploaded covenants).

A restore goes into an empty database, then

1. applies migrations (a backup made by an older version is brought up to date);
2. verifies the audit chain, and compares it with the witness up to the backup's last event;
3. notes in the witness that the chain continues from that event;
4. deletes again everything the witness saw being purged or erased after the backup was taken
   (kind and id only: the witness never holds content), and runs the daily purge;
5. verifies the whole chain against the witness once more.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import ProtectedError
from django.utils import timezone

from netwerkregie.core import witness
from netwerkregie.core.audit import log_event, verify_chain
from netwerkregie.core.models import AuditAction, AuditChainHead
from netwerkregie.ops.sealed import SealError, load_key, seal, unseal

FORMAT = 1


class BackupError(Exception):
    pass


def _key() -> bytes:
    if not settings.BACKUP_ENCRYPTION_KEY:
        raise BackupError("BACKUP_ENCRYPTION_KEY is not set: backups are always encrypted.")
    try:
        return load_key(settings.BACKUP_ENCRYPTION_KEY)
    except SealError as error:
        raise BackupError(str(error)) from None


def _pg_env(params: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _pg_tool(name: str) -> str:
    """The PostgreSQL client tool: on PATH, else the newest Debian server installation's."""
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                                                   key=lambda p: int(p.parts[-3]), reverse=True)), None)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client).")
    return str(found)


def _run(command: list[str], env: dict[str, str]) -> None:
    # The arguments come from the settings and our own paths; no shell is involved.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _dump_database(target: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # a consistent snapshot while the app keeps running
        finally:
            copy.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        args, env = _pg_env(params)
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args,
              "--file", str(target), params["NAME"]], env)
        return "database.pgdump"
    raise BackupError(f"Backups are not supported on {connection.vendor}.")


def backup(directory: Path | None = None) -> Path:
    """Write one encrypted backup file and return its path."""
    key = _key()
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    head = AuditChainHead.objects.get(pk=1)
    stamp = timezone.now()
    target = directory / f"netwerkregie-{stamp:%Y%m%dT%H%M%S}Z-{connection.vendor}.nrbackup"
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / "database"
        member = _dump_database(database)
        manifest = {"format": FORMAT, "created_at": stamp.isoformat(), "engine": connection.vendor,
                    "database": member, "audit_head_at_start": {"seq": head.sequence, "hash": head.hash}}
        archive = Path(work) / "backup.tar"
        with tarfile.open(archive, "w") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(database, arcname=member)
            media = Path(settings.PRIVATE_MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="private-media")
        partial = target.with_suffix(".partial")
        with archive.open("rb") as source, open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                                                "wb") as sealed:
            seal(source, sealed, key)
        partial.rename(target)
    log_event(AuditAction.EXPORT, actor_label="backup", object_type="ops.backup", object_id=target.name,
              reason="backup", detail={"engine": connection.vendor})
    return target


def prune(directory: Path | None = None, keep: int | None = None) -> list[Path]:
    """Remove the oldest backups beyond the newest ``keep`` (BACKUP_KEEP)."""
    keep = settings.BACKUP_KEEP if keep is None else keep
    files = sorted(Path(directory or settings.BACKUP_DIR).glob("netwerkregie-*.nrbackup"))
    gone = files[:-keep] if keep else files
    for path in gone:
        path.unlink()
    return gone


# --- Restore ---------------------------------------------------------------------------------

@dataclass
class RestoreReport:
    backup_head: int
    reapplied: int = 0
    already_gone: int = 0
    purged_since: int = 0
    notes: list[str] = field(default_factory=list)


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _restore_database(member: str, source: Path) -> None:
    connections.close_all()
    if member == "database.sqlite3" and connection.vendor == "sqlite":
        target = sqlite3.connect(connection.settings_dict["NAME"])
        snapshot = sqlite3.connect(source)
        try:
            snapshot.backup(target)
        finally:
            snapshot.close()
            target.close()
        return
    if member == "database.pgdump" and connection.vendor == "postgresql":
        params = connection.settings_dict
        args, env = _pg_env(params)
        _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", *args,
              "--dbname", params["NAME"], str(source)], env)
        return
    raise BackupError(f"This backup holds {member}; the configured database is {connection.vendor}.")


def _unpack(path: Path, work: Path) -> dict[str, Any]:
    archive = work / "backup.tar"
    try:
        with path.open("rb") as sealed, archive.open("wb") as plain:
            unseal(sealed, plain, _key())
    except SealError as error:
        raise BackupError(str(error)) from None
    with tarfile.open(archive) as tar:
        tar.extractall(work / "content", filter="data")
    manifest: dict[str, Any] = json.loads((work / "content" / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError("This backup was made in an unknown format.")
    return manifest


def restore(path: Path, *, reapply: Callable[[str, str], bool], purge: Callable[[], int],
            stdout: Any = None) -> RestoreReport:
    """Restore ``path`` into the (empty) configured database; see the module's docstring. ``reapply(label,
    pk)`` deletes one record purged after the backup (True if it was still there) and ``purge()`` runs the
    purge, returning how many it deleted: the privacy app's (``manage.py restore`` passes them)."""
    say = stdout.write if stdout is not None else (lambda text: None)
    if not database_is_empty():
        raise BackupError("The database is not empty. Restore into a new, empty database.")
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        manifest = _unpack(Path(path), work)
        _restore_database(manifest["database"], work / "content" / manifest["database"])
        media = work / "content" / "private-media"
        if media.exists():
            shutil.copytree(media, settings.PRIVATE_MEDIA_ROOT, dirs_exist_ok=True)
    say(f"Database restored from {Path(path).name} (made {manifest['created_at']}).")
    call_command("migrate", interactive=False, verbosity=0)

    head = AuditChainHead.objects.get(pk=1)
    report = RestoreReport(backup_head=head.sequence)
    check = verify_chain(behind_witness_allowed=True, parallel=True)  # a command, never a web request
    if not check.intact:
        raise BackupError(f"The backup's audit chain is broken at event #{check.broken_at}: {check.problem}. "
                          "Nothing was re-applied; investigate before using this database.")
    say(f"The backup's audit chain is intact up to #{head.sequence} and matches the witness.")

    seen = witness.timeline() if witness.witness_path() is not None else None
    deletions = sorted((seq, item) for seq, item in (seen.purges.items() if seen else []) if seq > head.sequence)
    if seen is None:
        report.notes.append("No witness configured: deletions made after the backup cannot be re-applied.")
    witness.append({"restore": {"seq": head.sequence, "hash": head.hash}, "backup": Path(path).name,
                    "backup_created_at": manifest["created_at"], "abandoned_up_to": seen.last if seen else None})
    log_event(AuditAction.RESTORE, actor_label="restore", object_type="ops.backup", object_id=Path(path).name,
              reason="restore", detail={"backup_created_at": manifest["created_at"],
                                        "deletions_to_reapply": len(deletions)})
    for seq, (label, pk) in deletions:
        try:
            gone = reapply(label, pk)
        except ProtectedError:
            report.notes.append(f"{label} {pk} (purged as event #{seq}) is still referenced; run purge again.")
            continue
        if gone:
            report.reapplied += 1
        else:
            report.already_gone += 1
    report.purged_since = purge()
    final = verify_chain(parallel=True)
    if not final.intact:
        raise BackupError(f"After the restore the audit chain does not verify at #{final.broken_at}: {final.problem}")
    say(f"Deletions made after the backup re-applied: {report.reapplied} (already absent: {report.already_gone}); "
        f"purged as past their date: {report.purged_since}.")
    say(f"Audit chain intact: {final.events_checked} events, matching the witness.")
    return report
