"""The outbox on the administrator's "Vandaag": waiting and failed mail counted as in the database, the oldest
waiting, and per message recipient, subject, status, attempts and last error; never a body."""

import socket

import pytest
from django.core.mail import send_mail
from mailer.models import Message

from netwerkregie.core.outbox import send_queued
from netwerkregie.core.roles import Role
from tests.conftest import verified_client
from tests.today.test_jobs_panels import figures

pytestmark = pytest.mark.django_db


def test_the_administrator_sees_waiting_and_failed_mail_as_in_the_database(users, settings) -> None:
    with socket.socket() as probe:  # a port where no mail server listens: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    send_mail("Eerste onderwerp", "GEHEIME-TEKST-1", None, ["mentor@school.nl", "agent@politie.nl"])
    send_queued()  # both refused: deferred
    send_mail("Tweede onderwerp", "GEHEIME-TEKST-2", None, ["wijk@gemeente.nl"])  # waits for the next run

    html = verified_client(users[Role.ADMIN]).get("/").content.decode()
    assert figures(html)["outbox-waiting"][0] == str(Message.objects.non_deferred().count()) == "1"
    assert figures(html)["outbox-failed"][0] == str(Message.objects.deferred().count()) == "2"
    assert 'data-outbox="oldest"' in html
    assert html.count('data-outbox-row="failed"') == 2
    assert html.count('data-outbox-row="waiting"') == 1
    for shown in ["mentor@school.nl", "agent@politie.nl", "wijk@gemeente.nl", "Eerste onderwerp",
                  "Tweede onderwerp", "ConnectionRefusedError", "uitgesteld"]:
        assert shown in html
    assert "GEHEIME-TEKST" not in html  # never a body


def test_an_empty_outbox_shows_nothing_to_do(users) -> None:
    html = verified_client(users[Role.ADMIN]).get("/").content.decode()
    assert figures(html)["outbox-waiting"][0] == figures(html)["outbox-failed"][0] == "0"
    assert "data-outbox-row" not in html
    assert 'data-outbox="oldest"' not in html
