"""Known vulnerabilities in the locked dependencies: the Python packages of requirements/test.txt (which
holds the runtime ones too) with pip-audit against PyPI's vulnerability data, and the npm packages of
package-lock.json with ``npm audit``.

The policy (SECURITY.md): a known vulnerability for which a fixed version exists fails the audit (move the
pin in pyproject.toml or package.json and run ``make lock`` / ``npm install``); one without any fix is
printed and does not fail (the maintainers assess it). Where a vulnerability service cannot be reached
the audit says so in one line, "... not checked", and does not fail: a check that could not run is
reported as not run, never as passed.

    python scripts/audit_dependencies.py        # exit 1 on a fixable vulnerability
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCK = "requirements/test.txt"


def _pins(lock_text: str) -> list[tuple[str, str]]:
    return re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", lock_text, flags=re.MULTILINE)


def judge_pip_audit(report: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """pip-audit's JSON report as (fixable, without a fix, not checked) lines."""
    fixable: list[str] = []
    unfixed: list[str] = []
    skipped: list[str] = []
    for dependency in report.get("dependencies", []):
        name = "==".join(str(part) for part in (dependency.get("name"), dependency.get("version")) if part)
        if dependency.get("skip_reason"):
            skipped.append(f"{name}: {dependency['skip_reason']}")
        for vulnerability in dependency.get("vulns", []):
            ids = ", ".join([vulnerability.get("id", "?"), *vulnerability.get("aliases", [])])
            fixes = vulnerability.get("fix_versions") or []
            if fixes:
                fixable.append(f"{name}: {ids}; fixed in {', '.join(fixes)}")
            else:
                unfixed.append(f"{name}: {ids}; no fixed version yet")
    return fixable, unfixed, skipped


def judge_npm_audit(report: dict[str, Any]) -> tuple[list[str], list[str]]:
    """``npm audit --json``'s report as (fixable, without a fix) lines."""
    fixable: list[str] = []
    unfixed: list[str] = []
    for name, vulnerability in sorted(report.get("vulnerabilities", {}).items()):
        advisories = [via.get("url") or via.get("title", "?") for via in vulnerability.get("via", [])
                      if isinstance(via, dict)]
        line = f"{name} ({vulnerability.get('severity', '?')}): {', '.join(advisories) or 'through a dependency'}"
        (fixable if vulnerability.get("fixAvailable") else unfixed).append(line)
    return fixable, unfixed


def audit_python() -> tuple[list[str], list[str]]:
    """(failures, notes) for the Python packages."""
    pins = _pins((ROOT / LOCK).read_text())
    pip_audit = Path(sys.executable).with_name("pip-audit")
    completed = subprocess.run(  # noqa: S603 - our own venv's pip-audit on our own lock file
        [str(pip_audit), "--disable-pip", "--require-hashes", "-r", LOCK, "--format", "json",
         "--progress-spinner", "off", "--vulnerability-service", "pypi"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    try:
        report = json.loads(completed.stdout)
    except ValueError:
        return [], [f"dependency audit: pip-audit gave no report (exit {completed.returncode}: "
                    f"{completed.stderr.strip().splitlines()[-1:] or ''}); the Python packages were NOT checked"]
    fixable, unfixed, skipped = judge_pip_audit(report)
    checked = len(report.get("dependencies", [])) - len(skipped)
    if not checked:  # pip-audit then says "No known vulnerabilities found" and exits 0: that is not a pass
        why = skipped[0] if skipped else "no package in the report"
        return [], [f"dependency audit could not reach PyPI's vulnerability data ({why}); "
                    f"the {len(pins)} Python packages of {LOCK} were NOT checked"]
    notes = [f"pip-audit: {checked} Python packages checked against PyPI's vulnerability data"]
    notes += [f"known vulnerability without a fix (assess it, see SECURITY.md): {line}" for line in unfixed]
    notes += [f"not checked: {line}" for line in skipped]
    return [f"known vulnerability with a fix: {line}" for line in fixable], notes


def audit_npm() -> tuple[list[str], list[str]]:
    """(failures, notes) for the npm packages (all of package-lock.json, development ones included)."""
    npm = shutil.which("npm")
    if not npm:
        return [], ["dependency audit could not run npm; the npm packages were NOT checked"]
    completed = subprocess.run(  # noqa: S603
        [npm, "audit", "--json", "--audit=true"], cwd=ROOT, capture_output=True, text=True, timeout=300,
        check=False, env={**os.environ, "npm_config_update_notifier": "false"})
    try:
        report = json.loads(completed.stdout)
    except ValueError:
        report = {}
    if "vulnerabilities" not in report or "error" in report:
        error = report.get("error", {}) if isinstance(report.get("error"), dict) else {}
        reason = (error.get("summary") or error.get("detail") or "").strip().splitlines()
        warning = [line for line in completed.stderr.splitlines() if "audit" in line.lower()]
        why = "; ".join(dict.fromkeys([*warning[:1], *reason[:1]])) or f"npm audit exited {completed.returncode}"
        return [], [f"dependency audit could not reach the npm registry's audit service ({why}); "
                    "the npm packages of package-lock.json were NOT checked"]
    fixable, unfixed = judge_npm_audit(report)
    total = report.get("metadata", {}).get("dependencies", {}).get("total", "?")
    notes = [f"npm audit: {total} npm packages checked"]
    notes += [f"known vulnerability without a fix (assess it, see SECURITY.md): {line}" for line in unfixed]
    return [f"known vulnerability with a fix: {line}" for line in fixable], notes


def main() -> int:
    failures: list[str] = []
    for audit in (audit_python, audit_npm):
        found, notes = audit()
        failures += found
        for line in notes:
            print(line)
    for line in failures:
        print(line, file=sys.stderr)
    if failures:
        print(f"dependency audit FAILED: {len(failures)} known vulnerabilities have a fix; move the pins "
              "(pyproject.toml and `make lock`, or package.json and `npm install`)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
