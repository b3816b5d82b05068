"""No lost work at the idle timeout: a form posted after the session ended is kept for its author, offered
once after signing in again (password and second factor), and for nobody else; the keep-alive renews the
session; a link opened while signed out lands on its page after both sign-in steps."""

import datetime
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.core.models import UnsentSubmission, User
from netwerkregie.core.roles import Role
from netwerkregie.core.unsent import OWNER_COOKIE, forget_expired
from netwerkregie.intake.models import Signal
from netwerkregie.privacy.purge import purge
from tests.conftest import PASSWORD, verified_client

pytestmark = pytest.mark.django_db

FORM = {"description": "Deelt filmpjes waarin geweld wordt verheerlijkt.", "observations": ["justifies_violence"],
        "subject_name": "Mila Jansen", "subject_birth_date": "2011-06-15", "context": "In de klassenapp."}


def _code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _signed_in_then_expired(user: User) -> Client:
    client = verified_client(user)
    assert client.get(reverse("home")).status_code == 200  # a page while signed in: the browser knows who
    assert OWNER_COOKIE in client.cookies
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))  # the idle timeout
    return client


def _sign_in(client: Client, user: User, next_url: str) -> object:
    """Password, then the second factor, following the redirects as a browser does."""
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD, "next": next_url})
    while response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith(reverse("accounts:mfa_verify")):
            response = client.post(location, {"token": _code(user)})
        else:
            response = client.get(location)
    return response


def test_a_form_posted_after_the_session_ended_is_kept_and_sent_again_after_signing_in(users) -> None:
    partner = users[Role.PARTNER]
    client = _signed_in_then_expired(partner)
    response = client.post(reverse("intake:signal_new"), FORM)
    kept = UnsentSubmission.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('accounts:login')}?next=/session/resume/{kept.pk}/"
    assert not Signal.objects.exists()  # nothing half-saved
    assert kept.user == partner
    assert kept.path == reverse("intake:signal_new")

    page = _sign_in(client, partner, f"/session/resume/{kept.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'action="{reverse("intake:signal_new")}"' in html
    assert '<input type="hidden" name="subject_name" value="Mila Jansen">' in html
    assert '<input type="hidden" name="observations" value="justifies_violence">' in html
    assert "<dt>subject_name</dt><dd>Mila Jansen</dd>" in html  # shown, to check before sending
    assert "Uw formulier opnieuw versturen" in html
    assert page.headers["Cache-Control"].startswith("max-age=0")
    assert not UnsentSubmission.objects.exists()  # shown once, then gone from the server
    assert client.get(f"/session/resume/{kept.pk}/").status_code == 404

    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))
    response = client.post(reverse("intake:signal_new"), {**fields, "observations": ["justifies_violence"]})
    assert response.status_code == 302
    assert Signal.objects.get().observations.get().code == "justifies_violence"


def test_the_kept_form_is_encrypted_at_rest(users) -> None:
    from django.db import connection

    client = _signed_in_then_expired(users[Role.PARTNER])
    client.post(reverse("intake:signal_new"), FORM)
    with connection.cursor() as cursor:
        cursor.execute("SELECT fields FROM core_unsentsubmission")
        [(stored,)] = cursor.fetchall()
    assert "Mila" not in stored
    assert stored.startswith("gAAAA")


def test_nobody_else_signing_in_at_that_browser_sees_the_kept_form(users) -> None:
    client = _signed_in_then_expired(users[Role.PARTNER])
    client.post(reverse("intake:signal_new"), FORM)
    kept = UnsentSubmission.objects.get()
    other = users[Role.COORDINATOR]
    assert _sign_in(client, other, f"/session/resume/{kept.pk}/").status_code == 404
    assert verified_client(other).get(f"/session/resume/{kept.pk}/").status_code == 404
    assert UnsentSubmission.objects.filter(pk=kept.pk).exists()  # still there for its author, until it expires


def test_a_kept_form_expires_and_the_purge_deletes_it(users, settings) -> None:
    client = _signed_in_then_expired(users[Role.PARTNER])
    client.post(reverse("intake:signal_new"), FORM)
    kept = UnsentSubmission.objects.get()
    later = timezone.now() + datetime.timedelta(minutes=settings.UNSENT_WORK_KEEP_MINUTES + 1)
    with time_machine.travel(later):
        assert verified_client(users[Role.PARTNER]).get(f"/session/resume/{kept.pk}/").status_code == 404
        purge()
    assert not UnsentSubmission.objects.exists()
    assert forget_expired() == 0


def test_without_a_signed_in_account_in_this_browser_nothing_is_kept(users) -> None:
    response = Client().post(reverse("intake:signal_new"), FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('accounts:login')}?next={reverse('intake:signal_new')}"
    assert not UnsentSubmission.objects.exists()


def test_the_owner_cookie_lapses_soon_after_the_session(users, settings) -> None:
    # Someone who copied the signed cookie at a shared PC can use it only briefly after the person's last page.
    victim = _signed_in_then_expired(users[Role.PARTNER])
    later = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE
                                                + settings.UNSENT_WORK_KEEP_MINUTES * 60 + 5)
    with time_machine.travel(later):
        victim.post(reverse("intake:signal_new"), FORM)
    assert not UnsentSubmission.objects.exists()
    users[Role.PARTNER].is_active = False
    users[Role.PARTNER].save()
    victim.post(reverse("intake:signal_new"), FORM)  # nor for an account that was switched off
    assert not UnsentSubmission.objects.exists()


def test_a_person_has_a_few_kept_forms_at_most_and_a_long_address_is_not_kept(users) -> None:
    client = _signed_in_then_expired(users[Role.PARTNER])
    for _ in range(5):
        client.post(reverse("intake:signal_new"), FORM)
    assert UnsentSubmission.objects.count() == 3
    client.post(reverse("intake:signal_new") + "?x=" + "a" * 600, FORM)
    assert UnsentSubmission.objects.count() == 3


def test_a_forged_owner_cookie_is_ignored(users) -> None:
    client = Client()
    client.cookies[OWNER_COOKIE] = str(users[Role.PARTNER].pk)  # unsigned: anyone could write this
    client.post(reverse("intake:signal_new"), FORM)
    assert not UnsentSubmission.objects.exists()


def test_signing_out_forgets_who_was_signed_in(users) -> None:
    client = verified_client(users[Role.PARTNER])
    client.get(reverse("home"))
    response = client.post(reverse("accounts:logout"))
    assert response.cookies[OWNER_COOKIE].value == ""  # deleted
    client.post(reverse("intake:signal_new"), FORM)
    assert not UnsentSubmission.objects.exists()


def test_the_keep_alive_renews_the_session_and_keeps_nothing(users) -> None:
    client = verified_client(users[Role.CASE_MANAGER])
    client.get(reverse("home"))
    before = Session.objects.get().expire_date
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        response = client.post(reverse("session:keep_alive"))
        assert response.status_code == 204
        assert Session.objects.get().expire_date > before + datetime.timedelta(minutes=9)
    assert client.get(reverse("session:keep_alive")).status_code == 405
    Session.objects.all().delete()
    assert client.post(reverse("session:keep_alive")).status_code == 302  # ended: to sign-in, nothing kept
    assert not UnsentSubmission.objects.exists()


def test_every_signed_in_page_carries_the_idle_dialog_with_the_session_length(users, settings) -> None:
    html = verified_client(users[Role.COORDINATOR]).get(reverse("home")).content.decode()
    assert f'data-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in html
    assert 'id="nr-idle-dialog"' in html
    assert "Wilt u ingelogd blijven?" in html
    assert "idle-warning" not in Client().get(reverse("accounts:login")).content.decode()


def test_a_link_opened_while_signed_out_lands_on_its_page_after_both_steps(users) -> None:
    client = Client()
    response = client.get(reverse("cases:case_list"))
    assert response.headers["Location"] == f"{reverse('accounts:login')}?next={reverse('cases:case_list')}"
    page = _sign_in(client, users[Role.COORDINATOR], reverse("cases:case_list"))
    assert page.status_code == 200
    assert page.wsgi_request.path == reverse("cases:case_list")
