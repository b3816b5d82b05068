"""Names from the identity provider lose the invisible characters a typed name may not hold (control, zero-width,
direction marks and overrides), at registration and at every later sign-in."""

import pytest
from django.conf import settings

from netwerkregie.accounts.oidc import account_for
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
REVERSED = "Anne\u202e sirseV\u202c"  # a right-to-left override: shown as "Anne Vissers" reversed


@pytest.fixture
def known() -> User:
    user = make_user("anne", Role.CASE_MANAGER)
    user.oidc_subject = "sub-anne"
    user.save()
    return user


def claims(name: str) -> dict[str, str]:
    return {settings.OIDC_SUBJECT_CLAIM: "sub-anne", settings.OIDC_EMAIL_CLAIM: "anne@example.nl",
            settings.OIDC_NAME_CLAIM: name}


def test_a_bidi_override_in_the_providers_name_is_taken_out(known: User) -> None:
    assert account_for(claims(REVERSED)).full_name == "Anne sirseV"


def test_a_zero_width_space_in_the_providers_name_is_taken_out(known: User) -> None:
    assert account_for(claims("Anne\u200b de\u200d Vries")).full_name == "Anne de Vries"


def test_a_control_character_in_the_providers_name_becomes_a_space(known: User) -> None:
    assert account_for(claims("Anne\x07de Vries")).full_name == "Anne de Vries"


def test_a_self_registered_account_gets_the_cleaned_name(settings: object) -> None:
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_GROUP_ROLES = {"casusregie": Role.CASE_MANAGER}
    settings.OIDC_SELF_REGISTER_ROLES = [Role.CASE_MANAGER]
    user = account_for({**claims("Bram\u2066 Bakker\u2069"), "sub": "sub-bram", "email": "bram@example.nl",
                        "groups": ["casusregie"]})
    assert user.full_name == "Bram Bakker"
