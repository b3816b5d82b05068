"""``load_demo`` itself: it refuses outside demo mode, and what it prints (the password and the accounts)."""

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.core.models import RoleAssignment, User
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Neighbourhood, Organisation, Sector

pytestmark = pytest.mark.django_db


def test_it_refuses_to_run_outside_demo_mode(settings: object) -> None:
    settings.DEMO = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="DEMO=1"):
        call_command("load_demo", "--no-history")
    assert User.objects.count() == 0


def test_it_loads_a_municipality_with_every_sector_and_a_user_per_role(
    settings: object, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
    assert set(Organisation.objects.values_list("sector", flat=True)) == set(Sector.values)
    assert Neighbourhood.objects.count() == 6
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        assert user.organisation is not None
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists() == user.requires_mfa
    output = capsys.readouterr().out
    password = (tmp_path / "demo-password").read_text()  # type: ignore[operator]
    assert password in output
    assert "netwerkregisseur@demo.netwerkregie.test" in output
    assert User.objects.get(email="privacy@demo.netwerkregie.test").check_password(password)


def test_each_receiving_organisation_has_an_account_that_can_sign_in(settings: object, tmp_path: object,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from netwerkregie.sharing.answerable import unanswerable

    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
    password = (tmp_path / "demo-password").read_text()  # type: ignore[operator]
    receiving = list(Organisation.objects.filter(name__in=["Exitprogramma Nieuwe Koers", "Jeugdzorg Regio Lindeveen",
                                                           "GGZ Regio Lindeveen"]))
    assert len(receiving) == 3
    assert unanswerable(receiving) == []
    assert User.objects.get(email="jeugdzorg@demo.netwerkregie.test").check_password(password)
    assert "jeugdzorg@demo.netwerkregie.test" in capsys.readouterr().out
