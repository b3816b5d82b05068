"""The outbox: a mail server that is down never turns a stored signal into an error; the mail waits as a row
written with the act, and the scheduler's job delivers it, one message per recipient, once the server is back."""

import datetime
import email
import logging
import socket
import time
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message, MessageLog
from rest_framework.test import APIClient

from netwerkregie.accounts.users import invite_partner
from netwerkregie.core.models import User
from netwerkregie.core.outbox import MAX_RETRIES, send_queued
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.ops.jobs import run_job
from tests.conftest import make_user
from tests.intake_helpers import submit
from tests.mail_helpers import delivered

FORM = {
    "description": "Zegt in de les dat geweld tegen de overheid gerechtvaardigd is.",
    "observations": ["justifies_violence"],
    "subject_name": "Mila Jansen",
    "subject_birth_date": "2011-06-15",
    "acute_danger": "on",
}
API_BODY = {
    "description": "Plaatst berichten waarin hij oproept tot geweld tegen agenten.",
    "observations": ["justifies_violence"],
    "subject_name": "Sven Mulder",
    "subject_birth_date": "2004-02-29",
    "acute_danger": True,
}


class Inbox:
    """aiosmtpd's handler: what a real SMTP server received, envelope recipients and the message as sent."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.Message]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.received.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.original_content)))
        return "250 OK"


def free_port() -> int:
    """A loopback port with nothing listening on it (a mail server that is down: connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings: object) -> int:
    """The job delivers by SMTP to 127.0.0.1 on a port where no server listens yet."""
    port = free_port()
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    return port


@pytest.mark.django_db(transaction=True)  # committed for real: nothing of the old on_commit sending hides
def test_acute_danger_answers_112_with_the_mail_server_down_and_the_mail_follows_when_it_is_back(
        smtp: int, users: dict[str, User], client_for: object, time_machine: object) -> None:
    second = make_user("cora", Role.COORDINATOR)
    coordinators = sorted([users[Role.COORDINATOR].email, second.email])
    web = client_for(Role.PARTNER)
    web.raise_request_exception = False
    answer = web.post(reverse("intake:signal_new"), FORM)
    assert answer.status_code == 302
    assert "U gaf acuut gevaar aan: bel nu 112" in web.get(answer.headers["Location"]).content.decode()

    school = Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL)
    out = StringIO()
    call_command("issue_api_token", school.name, "--label", "leerlingvolgsysteem", stdout=out)
    partner_system = APIClient(raise_request_exception=False)
    partner_system.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().split()[-1]}")
    accepted = partner_system.post("/api/v1/signals", API_BODY, format="json")
    assert accepted.status_code == 201
    assert "112" in accepted.json()["message"]
    assert Signal.objects.filter(acute_danger=True).count() == 2
    assert Message.objects.count() == 4  # two signals, two coordinators: a row for each

    figures = run_job("send_mail").figures  # the server refuses: each message is deferred, none lost
    assert (figures["sent"], figures["deferred"], figures["failed"]) == (0, 4, 4)
    assert MessageLog.objects.filter(log_message__startswith="ConnectionRefusedError").count() == 4
    assert send_queued()["retried"] == 0  # too soon: the first retry waits a minute

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp)
    server.start()
    try:
        time_machine.move_to(timezone.now() + datetime.timedelta(minutes=2))
        figures = run_job("send_mail").figures
    finally:
        server.stop()
    assert (figures["retried"], figures["sent"], figures["waiting"], figures["failed"]) == (4, 4, 0, 0)
    assert Message.objects.count() == 0
    assert sorted(rcpt for rcpt, _ in inbox.received) == sorted([[c] for c in coordinators] * 2)
    for rcpt, message in inbox.received:
        assert message["To"] == rcpt[0]
        assert message["Cc"] is None
        text = message["Subject"] + message.get_payload(decode=True).decode()
        for personal in ["Mila", "Jansen", "Sven", "Mulder", *Signal.objects.values_list("reference", flat=True)]:
            assert personal not in text
        assert "http://testserver" + reverse("intake:triage") in text  # the link: signing in needed


def test_one_message_per_recipient_whoever_calls_send_mail(db: None) -> None:
    send_mail("Onderwerp", "Tekst", None, ["mentor@school.nl", "agent@politie.nl"])
    assert Message.objects.count() == 2
    assert sorted(m.to for m in delivered()) == [["agent@politie.nl"], ["mentor@school.nl"]]


def test_a_rolled_back_act_takes_its_mail_with_it(users: dict[str, User]) -> None:
    school = Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL)
    with pytest.raises(RuntimeError), transaction.atomic():
        invite_partner(organisation=school, email="mentor@lyceum.nl", full_name="Mila Mentor",
                       actor=users[Role.COORDINATOR])
        assert Message.objects.count() == 1
        raise RuntimeError("something after the invitation failed")
    assert not User.objects.filter(email="mentor@lyceum.nl").exists()
    assert Message.objects.count() == 0
    assert delivered() == []


def test_invitations_and_reset_links_name_nobody(users: dict[str, User]) -> None:
    school = Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL)
    invite_partner(organisation=school, email="mentor@lyceum.nl", full_name="Mila Mentor",
                   actor=users[Role.COORDINATOR])
    Client().post(reverse("accounts:password_reset"), {"email": users[Role.PARTNER].email})
    sent = delivered()
    assert sorted(m.to for m in sent) == sorted([["mentor@lyceum.nl"], [users[Role.PARTNER].email]])
    for message in sent:
        text = message.subject + message.body
        for name in ["Mila", "Mentor", users[Role.COORDINATOR].full_name, users[Role.PARTNER].full_name]:
            assert name not in text


def test_a_message_that_keeps_failing_stops_after_the_last_retry(smtp: int, db: None, time_machine: object) -> None:
    send_mail("Onderwerp", "Tekst", None, ["mentor@school.nl"])
    for _ in range(MAX_RETRIES + 3):
        send_queued()
        time_machine.move_to(timezone.now() + datetime.timedelta(hours=9))  # past the longest wait
    message = Message.objects.get()
    assert message.retry_count == MAX_RETRIES
    assert MessageLog.objects.filter(result="3").count() == MAX_RETRIES + 1  # the first try and each retry


def test_the_acute_danger_alert_goes_before_mail_queued_earlier_also_when_retried(
        users: dict[str, User], smtp: int, settings: object, time_machine: object) -> None:
    send_mail("Eerder in de wachtrij", "Tekst", None, ["mentor@school.nl"])
    submit(users[Role.PARTNER].organisation, by=users[Role.PARTNER], acute_danger=True)
    send_queued()  # the server is down: both deferred
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=2))
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # back
    sent = delivered()
    assert [m.to for m in sent] == [[users[Role.COORDINATOR].email], ["mentor@school.nl"]]
    assert sent[0].extra_headers["X-Priority"] == "1"
    assert "X-Priority" not in sent[1].extra_headers


def test_a_mail_server_that_hangs_holds_the_job_for_email_timeout_only(smtp: int, settings: object,
                                                                       db: None) -> None:
    """A server that accepts the connection and never greets: the job gives up after EMAIL_TIMEOUT (1 s here)
    and defers the message; no request ever waits for it."""
    settings.EMAIL_TIMEOUT = 1
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", smtp))
        silent.listen()  # the kernel completes the handshake; nobody answers
        send_mail("Onderwerp", "Tekst", None, ["mentor@school.nl"])
        began = time.monotonic()
        figures = send_queued()
        took = time.monotonic() - began
    assert figures["deferred"] == 1
    assert 0.9 < took < 5
    assert "timed out" in MessageLog.objects.get().log_message  # SMTPServerDisconnected: deferred, not raised


def test_no_recipient_in_the_logs_even_at_info(db: None, caplog: pytest.LogCaptureFixture) -> None:
    send_mail("Onderwerp", "Tekst", None, ["mentor@school.nl"])
    with caplog.at_level(logging.INFO):
        assert len(delivered()) == 1
    assert "mentor@school.nl" not in caplog.text
