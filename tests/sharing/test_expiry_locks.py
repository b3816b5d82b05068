"""The nightly expiry of referrals locks each row it expires: a referral whose row an answer holds this moment
is left to that answer, so an acceptance and the expiry never both win."""

import datetime
import threading

import pytest
from django.db import connections, transaction
from django.utils import timezone

from netwerkregie.core.models import User
from netwerkregie.sharing import services
from netwerkregie.sharing.models import Referral, ReferralStatus
from tests.case_helpers import decided_case
from tests.sharing_helpers import receiving_organisation, referral


def held_while(pk: int, act: object) -> object:
    """Hold the referral's row lock in another connection (an answer being saved) while ``act`` runs here."""
    locked, done = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Referral.objects.select_for_update().get(pk=pk)
                locked.set()
                done.wait(timeout=5)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait(timeout=10)
    try:
        return act()  # type: ignore[operator]
    finally:
        done.set()
        holder.join(timeout=10)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_expiry_passes_over_a_referral_whose_row_an_answer_holds(users: dict[str, User]) -> None:
    receiving_organisation(users)
    sent = referral(users, decided_case(users))
    Referral.objects.filter(pk=sent.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert held_while(sent.pk, services.expire_referrals) == 0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_referral_passed_over_stays_sent_for_its_answer(users: dict[str, User]) -> None:
    receiving_organisation(users)
    sent = referral(users, decided_case(users))
    Referral.objects.filter(pk=sent.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    held_while(sent.pk, services.expire_referrals)
    assert Referral.objects.get(pk=sent.pk).status == ReferralStatus.SENT
