"""The daily digest: the scheduler's hourly ``send_digests`` job gives each person, once their chosen hour has
come, one mail with the work collected before that hour (``Waiting``), and deletes those rows in the same
transaction as it puts the mail in the outbox. Run it twice, or after a restart, and nothing is sent twice;
fail half-way, and nothing is lost. Work collected after the hour waits for the next day's digest."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone

from netwerkregie.core.models import User
from netwerkregie.core.outbox import queue_mail
from netwerkregie.notifications.models import DEFAULT_DIGEST_HOUR, Delivery, NotificationSettings, Waiting
from netwerkregie.notifications.services import deliveries, delivery_for, kinds_for, mail_context


def digest_moment(hour: int, now: datetime.datetime) -> datetime.datetime:
    """The latest time, at or before ``now``, at which this hour began in the municipality's time zone."""
    today = timezone.localdate(now)
    moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time(hour)))
    if moment > now:
        moment = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=1),
                                                               datetime.time(hour)))
    return moment


def send_digests(now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    dropped, _ = Waiting.objects.filter(user__is_active=False).delete()  # never a switched-off account
    hours = dict(NotificationSettings.objects.values_list("user_id", "digest_hour"))
    sent = 0
    for user_id in Waiting.objects.order_by().values_list("user_id", flat=True).distinct():
        moment = digest_moment(hours.get(user_id, DEFAULT_DIGEST_HOUR), now)
        sent += _send_one(user_id, moment)
    return {"sent": sent, "waiting": Waiting.objects.count(), "dropped": dropped}


def _send_one(user_id: int, moment: datetime.datetime) -> int:
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None:
            return 0
        rows = list(Waiting.objects.select_for_update().filter(user=user, collected_at__lt=moment))
        if not rows:
            return 0
        deleted, _ = Waiting.objects.filter(pk__in=[row.pk for row in rows]).delete()
        if deleted != len(rows):  # another run took them meanwhile: it sends them
            transaction.set_rollback(True)
            return 0
        chosen, still_theirs = deliveries([user]), set(kinds_for(user))  # a role withdrawn since: not theirs
        counts: Counter[str] = Counter()
        for row in rows:
            if row.kind in still_theirs and delivery_for(chosen, user.pk, row.kind) != Delivery.OFF:
                counts[row.kind] += row.count  # (nor switched off since it was collected)
        if not counts:
            return 0
        queue_mail(template="waiting_work", recipients=[user.email], context=mail_context(counts, digest=True))
        return 1
