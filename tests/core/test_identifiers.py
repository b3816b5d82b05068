"""The one helper through which every generated identifier is inserted (``core.identifiers``)."""

import math
import re

import pytest
from django.db import IntegrityError, transaction

from netwerkregie.api.models import ApiToken
from netwerkregie.core.identifiers import READABLE_ALPHABET, draw, grouped, save_with_fresh
from netwerkregie.people.models import new_pseudonym

pytestmark = pytest.mark.django_db


def test_a_draw_uses_only_characters_read_aloud_without_doubt() -> None:
    drawn = "".join(draw(10) for _ in range(200))
    assert set(drawn) <= set(READABLE_ALPHABET)
    assert len(READABLE_ALPHABET) == 28
    assert not set(drawn) & set("AEIOU01")  # no vowels (no words), no 0/O or 1/I
    assert grouped("BCDFGHJKLM") == "BCDFG-HJKLM"


def test_a_conflict_on_another_unique_field_is_the_callers_and_not_drawn_again(municipality) -> None:
    taken, _ = ApiToken.issue(municipality)
    twin = ApiToken(organisation=municipality, prefix="fresh-01", digest=taken.digest)
    redraws = []

    with pytest.raises(IntegrityError):
        save_with_fresh(twin, "prefix", redraw=lambda: redraws.append(1))

    assert redraws == []
    assert twin.pk is None
    # The caller's transaction is still usable (on PostgreSQL only because the insert had a savepoint).
    with transaction.atomic():
        assert list(ApiToken.objects.values_list("prefix", flat=True)) == [taken.prefix]


def test_the_pseudonym_length_keeps_a_national_installation_far_from_the_birthday_bound() -> None:
    values = len(READABLE_ALPHABET) ** len(new_pseudonym().removeprefix("P-").replace("-", ""))
    any_collision = 1 - math.exp(-(1_000_000 ** 2) / (2 * values))  # a million persons over a lifetime
    assert values == 28 ** 10
    assert any_collision < 0.002
    assert re.fullmatch(r"P-\w{5}-\w{5}", new_pseudonym())
