"""The demo's case manager has worked on her cases for weeks: none of them is marked "new" on her lists, so a
case opened while the demo is used is the one that stands out (issue 32, found by the whole-path walk)."""

import pytest
from django.core.management import call_command

from netwerkregie.cases.models import Case
from netwerkregie.core.models import User

pytestmark = pytest.mark.django_db


def test_no_demo_case_is_new_to_its_case_manager(settings: object, tmp_path: object) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
    manager = User.objects.get(email="casusregisseur@demo.netwerkregie.test")
    assert Case.objects.filter(case_manager=manager).exists()
    assert [c.reference for c in Case.objects.filter(case_manager=manager) if c.is_new] == []
