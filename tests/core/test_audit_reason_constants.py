"""A reason the system records through a named constant (``purpose=OFFERED``) is read in the reader's language
too, as the literal ones are (``test_audit_views``): the citizen's export once said "probable match for a signal"
in English among Dutch reasons."""

import re
from pathlib import Path

from django.utils import translation

from netwerkregie.core.audit_labels import SYSTEM_REASONS, reason_label

SOURCE = Path(__file__).resolve().parents[2] / "src" / "netwerkregie"


def constant_reasons() -> dict[str, str]:
    found = {}
    for path in SOURCE.rglob("*.py"):
        text = path.read_text()
        for name in re.findall(r"(?:reason|purpose)=([A-Z][A-Z_]+)\b", text):
            value = re.search(rf'^{name} = "([^"]+)"', text, re.MULTILINE)
            if value:
                found[name] = value.group(1)
    return found


def test_the_reasons_recorded_through_constants_are_found() -> None:
    assert "probable match for a signal" in constant_reasons().values()


def test_every_reason_recorded_through_a_constant_is_a_known_system_reason() -> None:
    assert set(constant_reasons().values()) - set(SYSTEM_REASONS) == set()


def test_every_reason_recorded_through_a_constant_reads_in_dutch() -> None:
    with translation.override("nl"):
        assert [r for r in constant_reasons().values() if reason_label(r) == r] == []
