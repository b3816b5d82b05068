"""The scheduler's lease: one row that says which scheduler process runs the jobs, until when.

A scheduler takes the lease when nobody holds it or the holder's lease has expired, and renews it
every ``SCHEDULER_TICK_SECONDS``; a second replica keeps asking and takes over once the first has
stopped renewing for ``SCHEDULER_LEASE_SECONDS``. Taking and renewing are one conditional UPDATE,
which both SQLite (one writer at a time) and PostgreSQL (the row is locked by the UPDATE, the
condition read again after the other's commit) make atomic: two processes never both hold it.
"""

from __future__ import annotations

import datetime
import os
import socket
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from netwerkregie.ops.models import SchedulerLease


def new_holder() -> str:
    """A name for this process, unique even when a restarted container gets the same host name and pid."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _row() -> None:
    if not SchedulerLease.objects.filter(pk=1).exists():
        try:
            with transaction.atomic():
                SchedulerLease.objects.create(pk=1)
        except IntegrityError:
            pass  # another process created it first


def acquire(holder: str) -> bool:
    """Take or renew the lease for ``holder``; False while another process holds a lease that has not expired."""
    _row()
    now = timezone.now()
    free = Q(holder="") | Q(expires_at__isnull=True) | Q(expires_at__lt=now)
    expires = now + datetime.timedelta(seconds=settings.SCHEDULER_LEASE_SECONDS)
    if SchedulerLease.objects.filter(pk=1, holder=holder).update(expires_at=expires, heartbeat_at=now):
        return True
    return bool(SchedulerLease.objects.filter(free, pk=1).update(holder=holder, expires_at=expires,
                                                                heartbeat_at=now, since=now))


def release(holder: str) -> None:
    """Give the lease up (on a clean stop), so a waiting replica need not wait for it to expire."""
    SchedulerLease.objects.filter(pk=1, holder=holder).update(holder="", expires_at=None)


def last_heartbeat() -> datetime.datetime | None:
    return SchedulerLease.objects.filter(pk=1).values_list("heartbeat_at", flat=True).first()
