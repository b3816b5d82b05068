"""Mail in the tests goes where it goes in production: into the outbox (a row per recipient, in the act's
transaction). ``delivered()`` runs the scheduler's job as it does every minute, delivering to Django's locmem
backend, and returns ``mail.outbox``: what reached the recipients so far."""

from django.core import mail
from django.core.mail import EmailMessage

from netwerkregie.core.outbox import send_queued


def delivered() -> list[EmailMessage]:
    send_queued()
    return mail.outbox
