"""Sign-in that resists guessing and cannot be turned against users: failures counted per account (the real
sign-in name) and per client address (behind the proxy, the address the proxy saw), the lockout page, the
way back in (a password reset, or the administrator), limits on mails with a password link, and a second
factor that someone with only the password cannot keep held."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.core.client_address import client_address
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.env import env_networks
from tests.conftest import PASSWORD
from tests.mail_helpers import delivered

pytestmark = pytest.mark.django_db

ACCOUNT_HELD = "Het wachtwoord van dit account is in korte tijd 5 keer onjuist ingevoerd"
ADDRESS_HELD = "Vanaf uw netwerkadres is in korte tijd 5 keer een onjuist wachtwoord ingevoerd"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> object:
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def at(address: str) -> Client:
    """A browser connecting straight from this address (no proxy)."""
    return Client(REMOTE_ADDR=address)


def via_proxy(forwarded_for: str) -> Client:
    """A browser behind the TLS proxy on 127.0.0.1, which appended the address it saw to X-Forwarded-For."""
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)


@pytest.fixture
def behind_proxy(settings: object) -> None:
    settings.BEHIND_TLS_PROXY = True  # type: ignore[attr-defined]
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1"]  # type: ignore[attr-defined]


def sources(action: str) -> list[str | None]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence").values_list("source_address", flat=True))


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def reset_link(client: Client, email: str) -> str:
    before = len(delivered())
    client.post(reverse("accounts:password_reset"), {"email": email})
    assert len(delivered()) == before + 1
    link = next(line for line in delivered()[-1].body.splitlines() if "/password/reset/" in line)
    return link.split("testserver", 1)[1]


def choose_password(client: Client, path: str, new: str) -> object:
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})


# --- Counting per account ----------------------------------------------------------------------------


def test_ten_wrong_passwords_from_ten_addresses_hold_the_account(users: dict[str, User]) -> None:
    for n in range(10):  # the name in whatever case: it is one account
        sign_in(at(f"198.51.100.{n + 1}"), "Paul@Example.NL" if n % 2 else "paul@example.nl", "wrong password")
    response = sign_in(at("198.51.100.50"), "paul@example.nl")  # the right password, from an eleventh address
    assert response.status_code == 429
    page = response.content.decode()
    assert ACCOUNT_HELD in page
    assert ADDRESS_HELD not in page
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"paul@example.nl"}
    # Someone else, at an address that tried nothing, is not affected.
    assert sign_in(at("198.51.100.51"), "anna@example.nl").status_code == 302


def test_signing_in_clears_the_accounts_failures_but_not_the_addresses(users: dict[str, User]) -> None:
    sign_in(at("198.51.100.1"), "paul@example.nl", "wrong password")
    guesser = at("203.0.113.9")  # guesses other people's passwords, and has an account of its own
    for n in range(4):
        sign_in(guesser, f"colleague{n}@example.nl", "wrong password")
    assert sign_in(at("203.0.113.9"), "anna@example.nl").status_code == 302
    assert sign_in(at("198.51.100.1"), "paul@example.nl").status_code == 302
    assert not AccessAttempt.objects.filter(username__in=["paul@example.nl", "anna@example.nl"]).exists()
    assert sign_in(guesser, "colleague9@example.nl", "wrong password").status_code == 429  # the fifth


def test_failures_are_counted_by_the_posted_sign_in_name() -> None:
    from netwerkregie.core.lockout import sign_in_name

    request = RequestFactory().post("/accounts/login/", {"username": " Carla@Example.nl ", "password": "x"})
    assert sign_in_name(request, {"username": " Carla@Example.nl ", "password": "********"}) == "carla@example.nl"
    assert sign_in_name(request, None) == "carla@example.nl"
    assert sign_in_name(RequestFactory().get("/accounts/oidc/callback/"), {"nonce": "n"}) is None


# --- The client address behind the proxy -------------------------------------------------------------


def test_behind_the_proxy_one_clients_failures_do_not_lock_out_another(users: dict[str, User],
                                                                       behind_proxy: None) -> None:
    guesser = via_proxy("203.0.113.7")
    for n in range(4):  # made-up names: only the address is held, from the fifth
        assert sign_in(guesser, f"nobody{n}@example.nl", "wrong password").status_code == 200
    assert sign_in(guesser, "nobody4@example.nl", "wrong password").status_code == 429
    held = sign_in(guesser, "paul@example.nl")
    assert held.status_code == 429
    assert ADDRESS_HELD in held.content.decode()
    assert ACCOUNT_HELD not in held.content.decode()
    # Every other person arrives through the same proxy; they sign in as usual.
    assert sign_in(via_proxy("198.51.100.8"), "paul@example.nl").status_code == 302
    assert sign_in(via_proxy("spoofed-by-client, 198.51.100.9"), "anna@example.nl").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # The audit log names the clients, not the proxy.
    assert set(sources("login_failed")) == {"203.0.113.7"}
    assert sources("login") == ["198.51.100.8", "198.51.100.9"]
    assert "127.0.0.1" not in sources("lockout")


def test_a_forwarded_for_header_counts_only_from_a_trusted_proxy(users: dict[str, User],
                                                                  behind_proxy: None) -> None:
    # From the trusted proxy the header names the client; from anyone else it is ignored.
    assert sign_in(via_proxy("203.0.113.20"), "nobody@example.nl", "wrong").status_code == 200
    direct = Client(REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.21")
    for n in range(5):
        sign_in(direct, f"nobody{n}@example.nl", "wrong password")
    # A fresh made-up header does not get the direct client out of its address's lockout.
    other_header = Client(REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.22")
    assert sign_in(other_header, "paul@example.nl").status_code == 429
    assert set(sources("login_failed")) == {"203.0.113.20", "192.0.2.10"}


def test_the_client_address_is_decided_in_one_place(settings: object) -> None:
    factory = RequestFactory()

    def address(remote: str, forwarded: str | None = None) -> str | None:
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return client_address(factory.get("/", REMOTE_ADDR=remote, **extra))

    settings.BEHIND_TLS_PROXY = False  # type: ignore[attr-defined]
    assert address("127.0.0.1", "203.0.113.1") == "127.0.0.1"  # no proxy configured: the header means nothing
    settings.BEHIND_TLS_PROXY = True  # type: ignore[attr-defined]
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1", "10.8.0.0/16"]  # type: ignore[attr-defined]
    assert address("127.0.0.1", "198.51.100.1, 203.0.113.1") == "203.0.113.1"  # the entry the proxy added
    assert address("10.8.3.4", " 2001:db8::1 ") == "2001:db8::1"
    assert address("10.9.0.1", "203.0.113.1") == "10.9.0.1"  # not a trusted proxy
    assert address("127.0.0.1", "203.0.113.1, not-an-address") == "127.0.0.1"  # nothing guessed from junk
    assert address("127.0.0.1") == "127.0.0.1"
    settings.FORWARDED_ALLOW_IPS = ["*"]  # type: ignore[attr-defined]
    assert address("192.0.2.1", "203.0.113.1") == "203.0.113.1"


def test_forwarded_allow_ips_is_parsed_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", " 127.0.0.1, 10.0.0.0/8 ,::1,*")
    assert env_networks("FORWARDED_ALLOW_IPS", []) == ["127.0.0.1", "10.0.0.0/8", "::1", "*"]
    for wrong in ("proxy.internal", "10.0.0.1/8", "127.0.0.1;10.0.0.1"):
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", wrong)
        with pytest.raises(ImproperlyConfigured, match="FORWARDED_ALLOW_IPS must be IP addresses or networks"):
            env_networks("FORWARDED_ALLOW_IPS", [])


# --- The way back in ------------------------------------------------------------------------------


def test_a_password_reset_lifts_the_lockout_and_signs_the_owner_in(users: dict[str, User]) -> None:
    for n in range(5):
        sign_in(at(f"198.51.100.{n + 1}"), "carla@example.nl", "wrong password")
    owner = at("198.51.100.40")
    assert sign_in(owner, "carla@example.nl").status_code == 429
    response = choose_password(owner, reset_link(owner, "carla@example.nl"), "a-brand-new-secret-91")
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="carla@example.nl").exists()
    reset = AuditEvent.objects.get(action="password_reset")
    assert reset.detail == {"lockout_records": 5}
    assert reset.source_address == "198.51.100.40"
    # Signed in by the reset; the second factor is still asked.
    assert owner.get(reverse("home")).headers["Location"].startswith(reverse("accounts:mfa_verify"))
    assert sign_in(at("198.51.100.41"), "carla@example.nl", "a-brand-new-secret-91").status_code == 302


def test_the_administrator_lifts_a_lockout_and_it_is_audited(users: dict[str, User], client_for: object) -> None:
    for n in range(5):
        sign_in(at(f"198.51.100.{n + 1}"), "petra@example.nl", "wrong password")
    admin = client_for(Role.ADMIN)  # type: ignore[operator]
    petra = users[Role.PARTNER]
    page = admin.get(reverse("accounts:user_edit", args=[petra.pk])).content.decode()
    assert "geblokkeerd" in page
    assert "recent 5 keer een onjuist wachtwoord" in page
    response = admin.post(reverse("accounts:user_unlock", args=[petra.pk]))
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="update", reason="sign-in lockout lifted").get()
    assert event.object_id == str(petra.pk)
    assert event.detail == {"failures_cleared": 5}
    assert sign_in(at("198.51.100.9"), "petra@example.nl").status_code == 302
    assert "Inlogblokkade opheffen" not in admin.get(reverse("accounts:user_edit", args=[petra.pk])).content.decode()


def test_the_lockout_page_says_what_happened_how_long_and_the_way_in(users: dict[str, User]) -> None:
    for n in range(5):
        sign_in(at(f"198.51.100.{n + 1}"), "paul@example.nl", "wrong password")
    page = sign_in(at("198.51.100.30"), "paul@example.nl").content.decode()
    assert ACCOUNT_HELD in page
    assert "geblokkeerd tot 30 minuten na de laatste van die pogingen" in page
    assert reverse("accounts:password_reset") in page
    assert "Kies een nieuw wachtwoord via een link" in page


# --- Mails with a password link ------------------------------------------------------------------


def test_reset_mails_are_limited_per_account_and_per_address(users: dict[str, User], settings: object) -> None:
    settings.PASSWORD_RESET_MAILS_PER_ACCOUNT = 3  # type: ignore[attr-defined]
    settings.PASSWORD_RESET_MAILS_PER_ADDRESS = 5  # type: ignore[attr-defined]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        answers = set()
        for n in range(5):  # one account, from five addresses
            response = at(f"198.51.100.{n + 1}").post(reverse("accounts:password_reset"), {"email": "anna@example.nl"})
            answers.add((response.status_code, response.headers["Location"]))
        assert len(delivered()) == 3
        # One address, many accounts (and one that does not exist): five requests, then nothing.
        sprayer = at("203.0.113.5")
        for email in ["nobody@example.nl", "paul@example.nl", "carla@example.nl", "koen@example.nl",
                      "cas@example.nl", "priya@example.nl", "arie@example.nl"]:
            response = sprayer.post(reverse("accounts:password_reset"), {"email": email})
            answers.add((response.status_code, response.headers["Location"]))
        assert [message.to for message in delivered()[3:]] == [["paul@example.nl"], ["carla@example.nl"],
                                                               ["koen@example.nl"], ["cas@example.nl"]]
        # The same answer every time: whether an account exists, or a limit was reached, does not show.
        assert answers == {(302, reverse("accounts:password_reset_done"))}
        clock.shift(timedelta(minutes=61))  # a new window
        at("198.51.100.1").post(reverse("accounts:password_reset"), {"email": "anna@example.nl"})
        assert delivered()[-1].to == ["anna@example.nl"]
        assert len(delivered()) == 8


def test_invitation_mails_are_limited_per_account(users: dict[str, User], client_for: object,
                                                  settings: object) -> None:
    settings.INVITATION_MAILS_PER_ACCOUNT = 2  # type: ignore[attr-defined]
    admin = client_for(Role.ADMIN)  # type: ignore[operator]
    url = reverse("accounts:user_invite", args=[users[Role.PARTNER].pk])
    for _ in range(3):
        response = admin.post(url, follow=True)
    assert len(delivered()) == 2
    assert "kort geleden al meerdere uitnodigingen gekregen" in response.content.decode()


# --- The second factor ---------------------------------------------------------------------------


def test_someone_with_only_the_password_cannot_keep_the_second_factor_held(users: dict[str, User]) -> None:
    carla = users[Role.COORDINATOR]
    device = TOTPDevice.objects.get(user=carla)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        intruder = at("203.0.113.66")
        sign_in(intruder, "carla@example.nl")
        for n in range(8):  # wrong codes, each as soon as the doubling wait allows
            if n:
                clock.shift(timedelta(seconds=2 ** (n - 1)))
            wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"
            intruder.post(reverse("accounts:mfa_verify"), {"token": wrong})
        device.refresh_from_db()
        assert device.throttling_failure_count == 8

        # Carla herself now gets a page that says what is going on, even with the right code.
        owner = at("198.51.100.70")
        sign_in(owner, "carla@example.nl")
        refused = owner.post(reverse("accounts:mfa_verify"), {"token": current_code(device)})
        page = refused.content.decode()
        assert "te veel onjuiste codes ingevoerd" in page
        assert reverse("accounts:password_reset") in page
        assert owner.get(reverse("home")).status_code == 302

        # A new password by mail lifts the wait at once and locks the intruder out.
        link = reset_link(owner, "carla@example.nl")
        assert choose_password(owner, link, "only-carla-knows-this-7").status_code == 302
        device.refresh_from_db()
        assert device.throttling_failure_count == 0
        assert AuditEvent.objects.get(action="password_reset").detail == {"second_factor_failures": 8}
        clock.shift(timedelta(seconds=31))  # the next code
        assert owner.post(reverse("accounts:mfa_verify"), {"token": current_code(device)}).status_code == 302
        assert owner.get(reverse("home")).status_code == 200
        assert intruder.get(reverse("home")).headers["Location"].startswith(reverse("accounts:login"))
        assert sign_in(intruder, "carla@example.nl").status_code == 200  # the old password no longer works
