"""The outbox: every e-mail is a row (django-mailer's ``Message``) written in the transaction of the act that
causes it, and sent by the scheduler's ``send_mail`` job every minute.

``EMAIL_BACKEND`` is ``OutboxBackend``: ``send_mail`` anywhere in the code only writes rows, so a mail server
that is down or slow never turns a stored signal into an error, and a rolled-back act takes its mail with it.
Each recipient gets a message of their own (never several addresses in To). ``MAILER_EMAIL_BACKEND`` (the
``EMAIL_BACKEND`` variable: SMTP in production) is what the job delivers with. A message that fails is
deferred and tried again after 1, 2, 4 ... minutes (``RETRY_AFTER_MINUTES``); after the last try it stays
deferred ("failed") and the administrator sees it on "Vandaag". The log of attempts keeps no message bodies
(``MAILER_EMAIL_LOG_MESSAGE_DATA = False``): invitation and reset links do not outlive the sending.
"""

from __future__ import annotations

import copy
import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db.models import Count, F, Max, Min
from django.template.loader import render_to_string
from django.utils import timezone, translation
from mailer import engine
from mailer.backend import DbBackend
from mailer.models import (
    PRIORITY_DEFERRED,
    PRIORITY_HIGH,
    PRIORITY_MEDIUM,
    RESULT_FAILURE,
    RESULT_SUCCESS,
    Message,
    MessageLog,
    get_message_id,
)

logger = logging.getLogger(__name__)

# Minutes to wait before the next try of a deferred message, by the number of tries so far: ten more tries
# over about 16 hours; after them the message stays deferred ("failed") until the administrator acts.
RETRY_AFTER_MINUTES = (1, 2, 4, 8, 16, 32, 60, 120, 240, 480)
MAX_RETRIES = len(RETRY_AFTER_MINUTES)
URGENT = ("X-Priority", "1")  # marks an urgent row, so that a retry puts it first again; mail clients show it
KEEP_LOG_DAYS = 30  # attempts (without bodies) kept for the administrator's "last error"


class OutboxBackend(DbBackend):  # type: ignore[misc]  # django-mailer has no type information
    """Writes each message as one outbox row per recipient, in the caller's transaction. Every row carries its
    own Message-ID, which ties the attempts in the log to it. ``get_connection(urgent=True)`` puts the rows
    before all others in the queue (the acute-danger alert); other backends ignore the keyword."""

    def __init__(self, *args: Any, urgent: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.priority = PRIORITY_HIGH if urgent else PRIORITY_MEDIUM

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        rows = []
        for message in email_messages:
            for address in [*message.to, *message.cc, *message.bcc]:
                one = copy.copy(message)
                one.to, one.cc, one.bcc, one.connection = [address], [], [], None
                one.extra_headers = {**message.extra_headers, "Message-ID": make_msgid(domain=str(DNS_NAME)),
                                     **({URGENT[0]: URGENT[1]} if self.priority == PRIORITY_HIGH else {})}
                row = Message(priority=self.priority)
                row.email = one
                rows.append(row)
        return len(Message.objects.bulk_create(rows))


def defer_on_failure(connection: Any, message: Message, error: Exception) -> tuple[None, str]:
    """django-mailer's error handler (``MAILER_ERROR_HANDLER``): whatever went wrong (refused, timed out,
    rejected), the message is deferred and the attempt logged, and the next message is tried on a new
    connection. Nothing is raised: one bad message never stops the others."""
    message.defer()
    summary = f"{type(error).__name__}: {error}"[:500]
    MessageLog.objects.log(message, RESULT_FAILURE, log_message=summary)
    logger.warning("Mail deferred (outbox row %s): %s", message.pk, summary)
    return None, "deferred"


def _last_attempts(message_ids: list[str]) -> dict[str, datetime.datetime]:
    return dict(MessageLog.objects.filter(message_id__in=message_ids, result=RESULT_FAILURE)
                .values("message_id").annotate(last=Max("when_attempted")).values_list("message_id", "last"))


def retry_due(now: datetime.datetime | None = None) -> int:
    """Put back in the queue each deferred message whose wait (``RETRY_AFTER_MINUTES``) is over."""
    now = now or timezone.now()
    deferred = list(Message.objects.deferred().filter(retry_count__lt=MAX_RETRIES))
    emails = {message.pk: message.email for message in deferred}  # unpickled once each
    ids = {pk: get_message_id(email) if email is not None else None for pk, email in emails.items()}
    last = _last_attempts([mid for mid in ids.values() if mid])
    retried = 0
    for message in deferred:
        tried = last.get(ids[message.pk] or "")
        wait = datetime.timedelta(minutes=RETRY_AFTER_MINUTES[message.retry_count])
        email = emails[message.pk]
        urgent = email is not None and email.extra_headers.get(URGENT[0]) == URGENT[1]
        if tried is None or now - tried >= wait:
            retried += Message.objects.filter(pk=message.pk, priority=PRIORITY_DEFERRED).update(
                priority=PRIORITY_HIGH if urgent else PRIORITY_MEDIUM, retry_count=F("retry_count") + 1)
    return retried


def send_queued() -> dict[str, int]:
    """The scheduler's job: retry what is due, send what waits, and report the figures."""
    started = timezone.now()
    retried = retry_due(started)
    engine.send_all()
    attempts = dict(MessageLog.objects.filter(when_attempted__gte=started).values("result")
                    .annotate(n=Count("pk")).values_list("result", "n"))
    MessageLog.objects.purge_old_entries(KEEP_LOG_DAYS, result_codes=[RESULT_SUCCESS, RESULT_FAILURE])
    return {"sent": attempts.get(RESULT_SUCCESS, 0), "deferred": attempts.get(RESULT_FAILURE, 0),
            "retried": retried, "waiting": Message.objects.non_deferred().count(),
            "failed": Message.objects.deferred().count()}


@dataclass(frozen=True)
class Entry:
    """A row of the outbox as the administrator sees it: never the body."""

    recipient: str
    subject: str
    added: datetime.datetime
    failed: bool
    attempts: int
    last_error: str
    gives_up: bool


def entries(messages: Sequence[Message]) -> list[Entry]:
    emails = {message.pk: message.email for message in messages}
    ids = [get_message_id(email) for email in emails.values() if email is not None]
    logged = {row["message_id"]: row for row in MessageLog.objects.filter(message_id__in=ids, result=RESULT_FAILURE)
              .values("message_id").annotate(n=Count("pk"), last=Max("when_attempted"))}
    errors = {row.message_id: row.log_message for row in MessageLog.objects.filter(
        message_id__in=ids, result=RESULT_FAILURE).order_by("when_attempted", "pk")}  # the latest wins
    found = []
    for message in messages:
        email = emails[message.pk]
        mid = get_message_id(email) if email is not None else None
        found.append(Entry(
            recipient=", ".join(email.to) if email is not None else "", subject=email.subject if email else "",
            added=message.when_added, failed=message.priority == PRIORITY_DEFERRED,
            attempts=logged.get(mid, {}).get("n", 0), last_error=errors.get(mid, ""),
            gives_up=message.priority == PRIORITY_DEFERRED and message.retry_count >= MAX_RETRIES))
    return found


def state(shown: int) -> dict[str, Any]:
    """What the administrator's panel shows: how many wait and how many failed, the oldest waiting, and the
    first ``shown`` of each (oldest first)."""
    waiting = Message.objects.non_deferred().order_by("when_added", "pk")
    failed = Message.objects.deferred().order_by("when_added", "pk")
    return {
        "waiting_count": waiting.count(), "failed_count": failed.count(),
        "oldest_waiting": waiting.aggregate(oldest=Min("when_added"))["oldest"],
        "failed": entries(list(failed[:shown])), "waiting": entries(list(waiting[:shown])),
        "max_retries": MAX_RETRIES,
    }



def queue_mail(*, template: str, recipients: Iterable[str], context: dict[str, Any] | None = None,
               urgent: bool = False) -> int:
    """Put the mail ``template`` (``templates/mail/<template>_subject.txt`` and ``_body.txt``, in the site's
    language) in the outbox for each recipient; call it inside the act's transaction. Mail carries no personal
    data: what kind of work waits, and a link that needs signing in."""
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"mail/{template}_subject.txt", context).split())
        body = render_to_string(f"mail/{template}_body.txt", context)
    return send_mail(subject, body, None, addresses, connection=get_connection(urgent=urgent))
