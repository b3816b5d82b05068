"""Settings: the audit witness, backups and the scheduler. Imported by ``netwerkregie.settings``; every value
comes from the environment (see ``.env.example``)."""

from pathlib import Path

from netwerkregie.configuration.paths import VAR_DIR
from netwerkregie.env import env_clock, env_int, env_str

# --- Operations -------------------------------------------------------------------------------
# The audit chain's witness: an append-only file outside the database (its own directory and
# permissions; see README, "The audit witness"). Empty switches it off (not advised).
AUDIT_WITNESS_PATH = env_str("AUDIT_WITNESS_PATH", str(VAR_DIR / "witness" / "audit-chain.jsonl"))
# Optionally also send every witness line to a remote syslog collector, "host:port" (UDP).
AUDIT_WITNESS_SYSLOG = env_str("AUDIT_WITNESS_SYSLOG", "")
# Processes that verify a long audit chain side by side in the scheduler (0: one per processor this
# process may use: its CPU affinity, and the container's cgroup CPU quota). Never in a web request.
AUDIT_VERIFY_WORKERS = env_int("AUDIT_VERIFY_WORKERS", 0)
# The nightly verification walks only the events since the last one that held (a checkpoint, checked
# against the witness); the whole chain when no whole walk held within this many days.
AUDIT_FULL_VERIFY_DAYS = env_int("AUDIT_FULL_VERIFY_DAYS", 7, minimum=1)
# Backups are encrypted with this key (32 random bytes, base64); keep it apart from the backups.
BACKUP_ENCRYPTION_KEY = env_str("BACKUP_ENCRYPTION_KEY", "")
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
# How many backups the scheduled job keeps (the oldest beyond this are removed).
BACKUP_KEEP = env_int("BACKUP_KEEP", 14, minimum=1)
# The scheduler (manage.py run_scheduler): daily jobs at these local times; one that missed its time
# (the scheduler was down) runs when a scheduler starts. The witness anchor runs every minute.
SCHEDULE_BACKUP_AT = env_clock("SCHEDULE_BACKUP_AT", "01:30")
SCHEDULE_PURGE_AT = env_clock("SCHEDULE_PURGE_AT", "02:30")
SCHEDULE_VERIFY_AT = env_clock("SCHEDULE_VERIFY_AT", "03:15")
# Reviews, re-justifications, data-subject deadlines and API tokens coming due are announced once, at this time.
SCHEDULE_DUE_NOTICES_AT = env_clock("SCHEDULE_DUE_NOTICES_AT", "06:00")
SCHEDULE_MISFIRE_GRACE_SECONDS = env_int("SCHEDULE_MISFIRE_GRACE_SECONDS", 6 * 3600, minimum=1)
# A daily job that has not started this long after its time is "missed" (scheduler health, Vandaag).
SCHEDULE_MISSED_AFTER_MINUTES = env_int("SCHEDULE_MISSED_AFTER_MINUTES", 60, minimum=1)
# One scheduler runs the jobs at a time: it holds a lease in the database for this long and renews
# it (its heartbeat) every tick, when it also takes up runs asked for from a page; a second replica
# waits and takes over when the lease expires.
SCHEDULER_LEASE_SECONDS = env_int("SCHEDULER_LEASE_SECONDS", 90, minimum=10)
SCHEDULER_TICK_SECONDS = env_int("SCHEDULER_TICK_SECONDS", 15, minimum=1)
# /health/scheduler fails when the scheduler's heartbeat is older than this.
SCHEDULER_STALE_AFTER_MINUTES = env_int("SCHEDULER_STALE_AFTER_MINUTES", 10, minimum=2)
