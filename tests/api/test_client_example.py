"""The example client in docs/api-client-example.md, run as it is written against a live test server, so
the example cannot drift from the API."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from netwerkregie.intake.models import Channel, Signal
from netwerkregie.network.models import Organisation, Sector
from tests.api.test_partner_api import token_for

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "api-client-example.md"


def example_script() -> str:
    blocks = re.findall(r"```python\n(.*?)```", EXAMPLE.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) == 1, "the example has exactly one Python script"
    return blocks[0]


def run_example(base: str, token: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", ""), "NETWERKREGIE_API": base, "NETWERKREGIE_TOKEN": token}
    return subprocess.run([sys.executable, "-c", example_script()], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.django_db(transaction=True)
def test_the_documented_client_submits_once_and_reads_the_status(live_server) -> None:
    school = Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL)
    result = run_example(f"{live_server.url}/api/v1", token_for(school))
    assert result.returncode == 0, result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("API-Version 1.")
    assert "10 observation codes" in lines[0]
    signal = Signal.objects.get()  # the retry with the same key made no second signal
    assert signal.source_organisation == school
    assert signal.channel == Channel.API
    assert lines[1:] == [f"attempt 1: 201 reference {signal.reference}",
                         f"attempt 2: 200 reference {signal.reference}",
                         f"status of {signal.reference}: received (Received)"]
    assert sorted(signal.observations.values_list("code", flat=True)) == [
        "justifies_violence", "shares_extremist_material"]


@pytest.mark.django_db(transaction=True)
def test_the_documented_client_explains_a_refusal(live_server) -> None:
    result = run_example(f"{live_server.url}/api/v1", "not-a-valid-token-at-all")
    assert result.returncode != 0
    assert "401" in result.stderr
    assert "token" in result.stderr.lower()
    assert Signal.objects.count() == 0
