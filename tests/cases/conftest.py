"""Fixtures shared by the case tests: a police organisation on a case-work covenant, and its officer."""

import pytest

from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from tests.case_helpers import case_work_covenant
from tests.conftest import make_user


@pytest.fixture
def police(users):
    org = Organisation.objects.create(name="Politie Teststad", sector=Sector.POLICE)
    case_work_covenant([users[Role.COORDINATOR].organisation, org], users[Role.COORDINATOR])
    return org


@pytest.fixture
def officer(police):
    return make_user("wijkagent", Role.CORE_PARTNER, organisation=police)
