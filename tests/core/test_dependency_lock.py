"""The supply chain: pyproject.toml's pins and the hashed lock files agree (``make lint`` runs the same
check), every install takes its packages from the lock, and the dependency audit fails only on a known
vulnerability that has a fix."""

import json
import re
from pathlib import Path

from packaging.version import Version
from pip_audit._format import JsonFormat
from pip_audit._service.interface import ResolvedDependency, SkippedDependency, VulnerabilityResult

from scripts.audit_dependencies import judge_npm_audit, judge_pip_audit
from scripts.check_lock import problems_with

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = (ROOT / "pyproject.toml").read_text()
RUNTIME = (ROOT / "requirements/runtime.txt").read_text()
TEST = (ROOT / "requirements/test.txt").read_text()


def test_the_lock_files_agree_with_pyproject() -> None:
    assert problems_with(PYPROJECT, RUNTIME, TEST) == []
    # The build backend is locked too: the editable install runs without build isolation.
    assert re.search(r"^setuptools==80\.9\.0 \\$", RUNTIME, flags=re.MULTILINE)


def test_a_pin_moved_in_pyproject_alone_is_caught() -> None:
    moved = PYPROJECT.replace('"Django==5.2.19"', '"Django==5.2.99"')
    assert problems_with(moved, RUNTIME, TEST) == [
        "requirements/runtime.txt: django==5.2.19, but pyproject.toml pins 5.2.99; run `make lock`",
        "requirements/test.txt: django==5.2.19, but pyproject.toml pins 5.2.99; run `make lock`",
    ]


def test_a_test_tool_added_without_a_new_lock_is_caught() -> None:
    added = PYPROJECT.replace('    "pytest==9.2.0",\n', '    "pytest==9.2.0",\n    "pytest-timeout==2.4.0",\n')
    assert problems_with(added, RUNTIME, TEST) == [
        "requirements/test.txt: pytest-timeout==2.4.0 (pyproject.toml) is missing; run `make lock`"]


def test_a_dependency_dropped_from_pyproject_but_still_locked_is_caught() -> None:
    dropped = PYPROJECT.replace('    "qrcode==8.2",\n', "")
    assert problems_with(dropped, RUNTIME, TEST) == [
        "requirements/runtime.txt: qrcode is there for pyproject.toml, which no longer asks for it; run `make lock`",
        "requirements/test.txt: qrcode is there for pyproject.toml, which no longer asks for it; run `make lock`",
    ]


def test_a_range_instead_of_a_pin_is_refused() -> None:
    ranged = PYPROJECT.replace('"whitenoise==6.12.0"', '"whitenoise>=6"')
    assert problems_with(ranged, RUNTIME, TEST) == [
        "pyproject.toml dependencies: 'whitenoise>=6' is not pinned to one version (name==version)"]


def test_the_test_lock_may_not_differ_from_the_runtime_lock_nor_lose_a_hash() -> None:
    drifted = TEST.replace("sqlparse==0.6.1 \\", "sqlparse==0.5.0 \\")
    unhashed = re.sub(r"^(six==1\.17\.0) \\\n(    --hash=\S+( \\)?\n)+", r"\1\n", TEST, flags=re.MULTILINE)
    assert problems_with(PYPROJECT, RUNTIME, drifted) == [
        "requirements/test.txt: sqlparse==0.5.0, but requirements/runtime.txt has 0.6.1; run `make lock`"]
    assert problems_with(PYPROJECT, RUNTIME, unhashed) == ["requirements/test.txt: six has no hash"]


def test_every_install_takes_its_packages_from_the_lock_with_hashes() -> None:
    """The Makefile and the Dockerfile: a pip install or pip wheel either checks hashes against a lock
    file or installs Netwerkregie alone (--no-deps)."""
    for name in ("Makefile", "Dockerfile"):
        text = (ROOT / name).read_text().replace("\\\n", " ")
        commands = re.findall(r"pip (?:install|wheel)\b[^\n&;]*", text)
        assert commands, name
        for command in commands:
            hashed = "--require-hashes" in command and re.search(r"-r \S*(runtime|test)\.txt", command)
            assert hashed or "--no-deps" in command, (name, command)


def test_the_audit_fails_only_on_a_known_vulnerability_with_a_fix() -> None:
    # The report as pip-audit itself writes it (its JSON format, with aliases).
    report = JsonFormat(output_desc=False, output_aliases=True).format({
        ResolvedDependency(name="django", version=Version("5.2.19")): [
            VulnerabilityResult(id="PYSEC-2099-1", description="", fix_versions=[Version("5.2.20")],
                                aliases={"CVE-2099-0001"}, published=None),
            VulnerabilityResult(id="GHSA-xxxx-0000-0002", description="", fix_versions=[], aliases=set(),
                                published=None)],
        ResolvedDependency(name="requests", version=Version("2.34.2")): [],
        SkippedDependency(name="local-thing", skip_reason="Dependency not found on PyPI"): [],
    }, [])
    fixable, unfixed, skipped = judge_pip_audit(json.loads(report))
    assert fixable == ["django==5.2.19: PYSEC-2099-1, CVE-2099-0001; fixed in 5.2.20"]
    assert unfixed == ["django==5.2.19: GHSA-xxxx-0000-0002; no fixed version yet"]
    assert skipped == ["local-thing: Dependency not found on PyPI"]
    # npm audit's JSON report (npm 7 and later): fixAvailable is true or the upgrade that fixes it.
    npm_fixable, npm_unfixed = judge_npm_audit({"vulnerabilities": {
        "jose": {"severity": "moderate", "fixAvailable": {"name": "oidc-provider", "version": "8.8.2"},
                 "via": [{"title": "Resource exhaustion", "url": "https://github.com/advisories/GHSA-0000"}]},
        "koa": {"severity": "low", "fixAvailable": False, "via": ["jose"]},
    }})
    assert npm_fixable == ["jose (moderate): https://github.com/advisories/GHSA-0000"]
    assert npm_unfixed == ["koa (low): through a dependency"]
