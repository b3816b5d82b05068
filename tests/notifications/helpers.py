"""Reading notification mail in the tests: what reached whom, and that it names nobody."""

from django.core import mail
from django.core.mail import EmailMessage

from tests.mail_helpers import delivered


def start_afresh() -> None:
    """Deliver what the set-up itself caused (a submitted signal tells the coordinators) and forget it."""
    delivered()
    mail.outbox.clear()


def received() -> dict[str, list[EmailMessage]]:
    """Per address, the messages it received since ``start_afresh``."""
    by_address: dict[str, list[EmailMessage]] = {}
    for message in delivered():
        assert len(message.to) == 1
        assert not message.cc
        assert not message.bcc
        by_address.setdefault(message.to[0], []).append(message)
    return by_address


def assert_names_nothing(messages: list[EmailMessage], *personal: str) -> None:
    for message in messages:
        text = message.subject + message.body
        for value in personal:
            assert value, value
            assert value not in text, value
