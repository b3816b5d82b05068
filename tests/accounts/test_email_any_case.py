"""One e-mail address whatever its capitals; the sign-in error reads as proper Dutch."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from netwerkregie.core.models import User
from tests.conftest import PASSWORD


def test_a_user_saved_with_capitals_is_stored_in_lower_case(db: None) -> None:
    user = User(email="Anne.DE.Vries@Example.NL", full_name="Anne")
    user.save()
    user.refresh_from_db()
    assert user.email == "anne.de.vries@example.nl"


def test_the_database_refuses_a_second_account_that_differs_only_in_capitals(db: None) -> None:
    User.objects.create_user("a@x.nl", PASSWORD, full_name="A")
    other = User.objects.create_user("b@x.nl", PASSWORD, full_name="B")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(email="A@X.nl")


def test_account_creation_refuses_the_same_address_in_other_capitals(db: None) -> None:
    User(email="A@x.nl", full_name="A").save()
    with pytest.raises(ValidationError, match="email"):  # create_user validates the model before it saves
        User.objects.create_user("a@x.nl", PASSWORD, full_name="Other A")
    assert User.objects.filter(email__iexact="a@x.nl").count() == 1


def test_a_failed_sign_in_says_it_in_correct_dutch(users: dict[str, User]) -> None:
    with translation.override("nl"):
        response = Client().post(reverse("accounts:login"), {"username": "Carla@Example.nl", "password": "wrong"},
                                 HTTP_ACCEPT_LANGUAGE="nl")
    text = response.content.decode()
    assert "Het e-mailadres of het wachtwoord klopt niet." in text


def test_a_failed_sign_in_no_longer_says_een_juiste_e_mailadres(users: dict[str, User]) -> None:
    response = Client().post(reverse("accounts:login"), {"username": "carla@example.nl", "password": "wrong"},
                             HTTP_ACCEPT_LANGUAGE="nl")
    assert "juiste e-mailadres" not in response.content.decode()
