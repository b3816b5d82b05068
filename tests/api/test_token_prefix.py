"""An API token whose prefix another token has is drawn again (before: looked up first, then inserted, so
two tokens issued at once could still both take it)."""

import hashlib

import pytest

from netwerkregie.api import models as api_models
from netwerkregie.api.models import PREFIX_LENGTH, ApiToken

pytestmark = pytest.mark.django_db


def test_a_token_prefix_drawn_twice_is_drawn_again(municipality, monkeypatch) -> None:
    taken, _ = ApiToken.issue(municipality, "eerste koppeling")
    tokens = iter([taken.prefix + "a" * 35, "b" * 43])
    monkeypatch.setattr(api_models, "new_token", lambda: next(tokens))

    record, token = ApiToken.issue(municipality, "tweede koppeling")

    assert token == "b" * 43
    assert next(tokens, None) is None
    assert record.prefix == token[:PREFIX_LENGTH]
    assert record.digest == hashlib.sha256(token.encode()).hexdigest()
    assert ApiToken.objects.count() == 2
    assert ApiToken.objects.get(prefix=record.prefix).label == "tweede koppeling"
