"""Sign-in through a real OpenID Connect provider (node-oidc-provider on loopback): the code flow with
PKCE, state and nonce; accounts found by subject; roles from groups; the provider's second factor; and
every way it can go wrong ending on a page that says so, audited, with nobody signed in."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import jwt
import pytest
import requests
from django.test import Client
from django.urls import reverse

from netwerkregie.accounts.oidc import ID_TOKEN_SESSION_KEY, PROVIDER_MFA_SESSION_KEY
from netwerkregie.core.models import AuditEvent, RoleAssignment, User
from netwerkregie.core.roles import Role
from tests.conftest import PASSWORD, make_user
from tests.mail_helpers import delivered
from tests.oidc import (
    ACCOUNTS,
    CLIENT_ID,
    Provider,
    configure,
    end_session_at_provider,
    reauthorise,
    running_provider,
    sign_in_at_provider,
    with_query,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/accounts/oidc/callback/"
SIGN_IN_PAGE = "http://testserver/accounts/login/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with running_provider(tmp_path_factory.mktemp("oidc"), [CALLBACK]) as running:
        yield running


@pytest.fixture
def oidc(settings: object, provider: Provider) -> Provider:
    configure(settings, provider)
    return provider


def pre_registered(subject: str, *roles: str) -> User:
    user = make_user(subject.split("-")[-1], *roles)
    user.oidc_subject = subject
    user.email = ACCOUNTS[subject]["email"]
    user.save()
    return user


def start(client: Client, next_url: str = "") -> str:
    response = client.get(reverse("accounts:oidc_start") + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return response.headers["Location"]


def come_back(client: Client, callback_url: str) -> object:
    parts = urlsplit(callback_url)
    return client.get(parts.path, parse_qs(parts.query))


def sign_in(client: Client, subject: str, next_url: str = "") -> object:
    return come_back(client, sign_in_at_provider(start(client, next_url), subject, until=CALLBACK))


def test_the_request_carries_state_nonce_and_a_pkce_s256_challenge(oidc: Provider) -> None:
    query = parse_qs(urlsplit(start(Client())).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # base64url of a SHA-256 digest
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32
    assert query["scope"] == ["openid profile email groups"]
    assert query["redirect_uri"] == [CALLBACK]


def test_a_pre_registered_subject_signs_in_and_the_providers_mfa_counts(oidc: Provider) -> None:
    carla = pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    client = Client()
    response = sign_in(client, "staff-7f3a-coordinator", next_url="/signals/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/signals/"
    assert client.session[PROVIDER_MFA_SESSION_KEY] == carla.pk
    # No TOTP step: the provider's second factor counts.
    assert client.get(reverse("home")).status_code == 200
    account = client.get(reverse("accounts:account")).content.decode()
    assert "bevestigd door de identiteitsprovider" in account
    login = AuditEvent.objects.filter(action="login").latest("sequence")
    assert login.actor == carla
    assert login.reason == "identity provider accepted"
    assert login.detail == {"second_factor": "identity provider"}
    # The group at the provider gives no role the administrator did not already give: nothing changed.
    assert sorted(carla.role_assignments.values_list("role", "from_provider")) == [("coordinator", False)]


def test_without_mfa_at_the_provider_the_own_totp_step_follows(oidc: Provider) -> None:
    pre_registered("staff-91bc-case-manager", Role.CASE_MANAGER)
    client = Client()
    response = sign_in(client, "staff-91bc-case-manager")
    assert response.status_code == 302
    assert PROVIDER_MFA_SESSION_KEY not in client.session
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home.headers["Location"].startswith(reverse("accounts:mfa_verify"))


def test_the_mark_of_the_providers_mfa_is_not_taken_from_a_password_session(oidc: Provider, settings: object) -> None:
    carla = make_user("carla", Role.COORDINATOR)
    client = Client()
    client.post(reverse("accounts:login"), {"username": carla.email, "password": PASSWORD})
    session = client.session
    session[PROVIDER_MFA_SESSION_KEY] = carla.pk  # as if set by something else than the callback
    session.save()
    assert client.get(reverse("home")).headers["Location"].startswith(reverse("accounts:mfa_verify"))


def test_an_unknown_subject_is_refused_and_nothing_is_created(oidc: Provider) -> None:
    client = Client()
    before = User.objects.count()
    response = sign_in(client, "staff-22de-stranger")
    page = response.content.decode()
    assert response.status_code == 403
    assert "niet bekend in Netwerkregie" in page
    assert "staff-22de-stranger" in page
    assert User.objects.count() == before
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.filter(action="login_failed").latest("sequence")
    assert failed.detail == {"refusal": "unknown_subject"}
    assert failed.actor_label == "onbekend@gemeente.test"


def test_a_group_that_maps_to_a_self_registering_role_creates_the_account(oidc: Provider) -> None:
    client = Client()
    response = sign_in(client, "staff-5e10-newcomer")
    assert response.status_code == 302
    nina = User.objects.get(oidc_subject="staff-5e10-newcomer")
    assert (nina.email, nina.full_name, nina.has_usable_password()) == ("nieuw.analist@gemeente.test", "Nina Nieuw",
                                                                        False)
    assert list(nina.role_assignments.values_list("role", "from_provider")) == [("analyst", True)]
    created = AuditEvent.objects.get(action="create", object_id=str(nina.pk))
    assert created.reason == "registered through the identity provider"
    assert created.detail == {"roles": ["analyst"]}
    # Analysts need no second factor; the reports are open to her.
    assert client.get(reverse("reports:index")).status_code == 200


def test_roles_from_groups_follow_the_groups_and_the_administrators_roles_stay(oidc: Provider) -> None:
    leaver = pre_registered("staff-0aa1-leaver", Role.PRIVACY_OFFICER)
    RoleAssignment.objects.create(user=leaver, role=Role.COORDINATOR, from_provider=True)
    client = Client()
    assert sign_in(client, "staff-0aa1-leaver").status_code == 302
    assert list(leaver.role_assignments.values_list("role", flat=True)) == ["privacy_officer"]
    change = AuditEvent.objects.filter(action="update", object_id=str(leaver.pk)).latest("sequence")
    assert change.detail["roles_removed"] == ["coordinator"]
    assert change.reason == "identity provider"


def test_a_user_left_without_any_role_loses_access_at_the_next_sign_in(oidc: Provider) -> None:
    leaver = pre_registered("staff-0aa1-leaver")
    RoleAssignment.objects.create(user=leaver, role=Role.COORDINATOR, from_provider=True)
    client = Client()
    response = sign_in(client, "staff-0aa1-leaver")
    assert response.status_code == 403
    assert "geen rol" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not leaver.role_assignments.exists()


def test_a_switched_off_account_is_refused_and_its_sessions_end(oidc: Provider) -> None:
    carla = pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    client = Client()
    sign_in(client, "staff-7f3a-coordinator")
    assert client.get(reverse("home")).status_code == 200
    carla.is_active = False
    carla.save()
    assert client.get(reverse("home")).status_code == 302  # back to the sign-in page
    response = sign_in(Client(), "staff-7f3a-coordinator")
    assert response.status_code == 403
    assert "uitgeschakeld" in response.content.decode()


def test_a_tampered_state_is_refused(oidc: Provider) -> None:
    pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    client = Client()
    callback = sign_in_at_provider(start(client), "staff-7f3a-coordinator", until=CALLBACK)
    response = come_back(client, with_query(callback, state="x" * 32))
    assert response.status_code == 400
    assert "kon niet worden gecontroleerd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed").latest("sequence").detail == {"refusal": "tampered"}


def test_a_tampered_nonce_is_refused(oidc: Provider) -> None:
    pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    client = Client()
    # The provider signs whatever nonce it is given; the one in the session no longer matches.
    callback = sign_in_at_provider(with_query(start(client), nonce="n" * 32), "staff-7f3a-coordinator",
                                   until=CALLBACK)
    response = come_back(client, callback)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_code_is_used_once(oidc: Provider) -> None:
    pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    client = Client()
    callback = sign_in_at_provider(start(client), "staff-7f3a-coordinator", until=CALLBACK)
    assert come_back(client, callback).status_code == 302
    replay = come_back(Client(), callback)  # another browser, same code and state
    assert replay.status_code == 400
    assert "_auth_user_id" not in replay.client.session


def test_a_refusal_at_the_provider_is_said_in_plain_words(oidc: Provider) -> None:
    client = Client()
    query = parse_qs(urlsplit(start(client)).query)
    response = client.get(reverse("accounts:oidc_callback"), {"error": "access_denied", "state": query["state"][0]})
    assert response.status_code == 403
    assert "heeft u niet aangemeld" in response.content.decode()


def test_an_unreachable_provider_gives_a_page_not_an_error(oidc: Provider, settings: object) -> None:
    from netwerkregie.accounts import oidc as module

    module._discovered.clear()
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # type: ignore[attr-defined]
    response = Client().get(reverse("accounts:oidc_start"))
    assert response.status_code == 503
    assert "niet bereikbaar" in response.content.decode()


def test_the_sign_in_page_offers_the_provider_only_when_configured(oidc: Provider, settings: object) -> None:
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Inloggen via Testgemeente ID" in page
    assert reverse("accounts:oidc_start") in page
    settings.OIDC_ENABLED = False  # type: ignore[attr-defined]
    assert "oidc/start" not in Client().get(reverse("accounts:login")).content.decode()
    assert Client().get(reverse("accounts:oidc_start")).status_code == 404
    assert Client().get(reverse("accounts:oidc_callback")).status_code == 404


def test_local_passwords_can_be_switched_off_per_role(oidc: Provider, settings: object) -> None:
    settings.LOCAL_PASSWORD_DISABLED_ROLES = [Role.COORDINATOR]  # type: ignore[attr-defined]
    carla = make_user("carla", Role.COORDINATOR)
    petra = make_user("petra", Role.PARTNER)
    refused = Client().post(reverse("accounts:login"), {"username": carla.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert "identiteitsprovider" in refused.content.decode()
    assert "_auth_user_id" not in refused.client.session  # type: ignore[attr-defined]
    # A wrong password still reads as a wrong password: no one learns which accounts exist.
    wrong = Client().post(reverse("accounts:login"), {"username": carla.email, "password": "wrong"})
    assert "identiteitsprovider" not in wrong.content.decode()
    # Partners keep their own password.
    assert Client().post(reverse("accounts:login"), {"username": petra.email, "password": PASSWORD}).status_code == 302
    # No reset link for the coordinator, one for the partner.
    for user in (carla, petra):
        Client().post(reverse("accounts:password_reset"), {"email": user.email})
    assert [message.to for message in delivered()] == [[petra.email]]


def test_the_administrator_pre_registers_a_subject(oidc: Provider, settings: object) -> None:
    settings.LOCAL_PASSWORD_DISABLED_ROLES = [Role.COORDINATOR]  # type: ignore[attr-defined]
    admin = make_user("arie", Role.ADMIN)
    client = Client()
    client.force_login(admin)
    session = client.session
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=admin).persistent_id
    session.save()
    form = {"full_name": "Carla Regie", "email": "carla.provider@gemeente.test", "roles": [Role.COORDINATOR]}
    missing = client.post(reverse("accounts:user_new"), form)
    assert missing.status_code == 422
    assert "identiteitsprovider" in missing.content.decode()
    assert not User.objects.filter(email="carla.provider@gemeente.test").exists()
    created = client.post(reverse("accounts:user_new"), {**form, "oidc_subject": "staff-7f3a-coordinator"})
    assert created.status_code == 302
    assert delivered() == []  # no invitation: she does not choose a password
    assert sign_in(Client(), "staff-7f3a-coordinator").status_code == 302


def test_signing_out_ends_the_providers_session_too(oidc: Provider) -> None:
    carla = pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    browser = requests.Session()  # the shared PC's browser as the provider sees it (its session cookie)
    client = Client()  # ... and as Netwerkregie sees it
    come_back(client, sign_in_at_provider(start(client), "staff-7f3a-coordinator", until=CALLBACK, browser=browser))
    id_token = client.session[ID_TOKEN_SESSION_KEY]
    assert jwt.decode(id_token, options={"verify_signature": False})["sub"] == "staff-7f3a-coordinator"
    # While the provider's session lasts, whoever sits down next is signed in without being asked.
    assert reauthorise(browser, start(Client()), until=CALLBACK)

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    discovery = requests.get(f"{oidc.issuer}/.well-known/openid-configuration", timeout=10).json()
    assert urlunsplit(location._replace(query="")) == discovery["end_session_endpoint"]
    assert parse_qs(location.query) == {"id_token_hint": [id_token], "client_id": [CLIENT_ID],
                                        "post_logout_redirect_uri": [SIGN_IN_PAGE]}
    # Netwerkregie's own session ended first, audited as before.
    assert "_auth_user_id" not in client.session
    assert ID_TOKEN_SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="logout").latest("sequence").actor == carla

    # The provider accepts the request, ends its session and sends the browser back to the sign-in page.
    assert end_session_at_provider(browser, response.headers["Location"], until=SIGN_IN_PAGE) == SIGN_IN_PAGE
    assert client.get(reverse("accounts:login")).status_code == 200
    # The next person is asked to sign in at the provider.
    assert reauthorise(browser, start(Client()), until=CALLBACK) is None


def test_the_end_session_endpoint_can_be_set_and_an_unreachable_provider_still_signs_out(
        oidc: Provider, settings: object) -> None:
    from netwerkregie.accounts import oidc as module

    pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{oidc.issuer}/session/end?ui_locales=nl"  # type: ignore[attr-defined]
    client = Client()
    sign_in(client, "staff-7f3a-coordinator")
    location = urlsplit(client.post(reverse("accounts:logout")).headers["Location"])
    assert (location.path, parse_qs(location.query)["ui_locales"]) == ("/session/end", ["nl"])
    assert parse_qs(location.query)["post_logout_redirect_uri"] == [SIGN_IN_PAGE]
    # Not to an origin the sign-out form may not lead to (the browser would stay on the page).
    settings.OIDC_OP_LOGOUT_ENDPOINT = "http://127.0.0.2:9/session/end"  # type: ignore[attr-defined]
    client = Client()
    sign_in(client, "staff-7f3a-coordinator")
    assert client.post(reverse("accounts:logout")).headers["Location"] == reverse("accounts:login")
    # Without a way to reach the provider, Netwerkregie's session still ends, and the browser goes to the
    # sign-in page as after a password sign-in.
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""  # type: ignore[attr-defined]
    client = Client()
    sign_in(client, "staff-7f3a-coordinator")
    module._discovered.clear()
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # type: ignore[attr-defined]
    response = client.post(reverse("accounts:logout"))
    assert (response.status_code, response.headers["Location"]) == (302, reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_the_sign_out_form_may_lead_to_the_provider_and_nowhere_else() -> None:
    """The Content-Security-Policy's form-action (browsers apply it to the redirect after a form's POST)."""
    code = ("import json; from netwerkregie import settings as s;"
            "print(json.dumps([s.OIDC_SIGN_OUT_ORIGINS, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))")

    def form_action(**env: str) -> list[list[str]]:
        clean = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT / "src"), "IDENTIFIER_HASH_KEY": "h" * 48,
                 "SECRET_KEY": "x" * 50, **env}
        result = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True)
        return json.loads(result.stdout)

    assert form_action() == [[], ["'self'"]]
    assert form_action(OIDC_ISSUER="https://id.gemeente.example/realms/staff/") == [
        ["https://id.gemeente.example"], ["'self'", "https://id.gemeente.example"]]
    assert form_action(OIDC_ISSUER="https://id.gemeente.example/realms/staff",
                       OIDC_LOGOUT_ENDPOINT="https://logout.gemeente.example:8443/end?x=1")[0] == [
        "https://id.gemeente.example", "https://logout.gemeente.example:8443"]


def test_sign_out_is_post_only_with_csrf_and_a_password_user_stays_here(oidc: Provider) -> None:
    pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "staff-7f3a-coordinator")
    # A link or an image on another site cannot sign anyone out, here or at the provider.
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 403
    assert "_auth_user_id" in client.session
    home = client.get(reverse("home"))
    token = home.context["csrf_token"]
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{oidc.issuer}/")
    # Someone who signed in with a password is not sent to the provider.
    analyst = make_user("anna", Role.ANALYST)
    client = Client()
    client.post(reverse("accounts:login"), {"username": analyst.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    assert ID_TOKEN_SESSION_KEY not in client.session
    response = client.post(reverse("accounts:logout"))
    assert (response.status_code, response.headers["Location"]) == (302, reverse("accounts:login"))


def test_the_configuration_is_checked_at_start_up(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from netwerkregie.core.checks import identity_provider_configuration
    from netwerkregie.env import env_map

    monkeypatch.setenv("OIDC_GROUP_ROLES", "nr-coordinators=coordinator, nr-analysts = analyst")
    assert env_map("OIDC_GROUP_ROLES") == {"nr-coordinators": "coordinator", "nr-analysts": "analyst"}
    monkeypatch.setenv("OIDC_GROUP_ROLES", "nr-coordinators")
    with pytest.raises(ImproperlyConfigured, match="OIDC_GROUP_ROLES must be pairs"):
        env_map("OIDC_GROUP_ROLES")

    def ids() -> list[str]:
        return [message.id for message in identity_provider_configuration()]

    settings.OIDC_ENABLED, settings.LOCAL_PASSWORD_DISABLED_ROLES = False, ["coordinator"]  # type: ignore[attr-defined]
    assert ids() == ["netwerkregie.E007"]  # nobody with that role could sign in
    settings.OIDC_ENABLED, settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = True, "c", "s"  # type: ignore[attr-defined]
    settings.OIDC_GROUPS_CLAIM = "groups"  # type: ignore[attr-defined]
    settings.OIDC_GROUP_ROLES = {"g": "admin", "h": "chief"}  # type: ignore[attr-defined]
    settings.OIDC_SELF_REGISTER_ROLES = ["partner"]  # type: ignore[attr-defined]
    assert sorted(ids()) == ["netwerkregie.E006", "netwerkregie.E009", "netwerkregie.E010"]
    settings.OIDC_GROUP_ROLES, settings.OIDC_SELF_REGISTER_ROLES = {"g": "analyst"}, ["analyst"]  # type: ignore[attr-defined]
    assert ids() == []
