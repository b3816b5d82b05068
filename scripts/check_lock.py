"""Do the lock files agree with pyproject.toml?

pyproject.toml holds the direct pins (``name==version``); ``make lock`` (pip-compile) writes
requirements/runtime.txt and requirements/test.txt from it with every transitive pin and the hashes of
each file. This check fails when someone changes one without the other:
- every direct dependency in pyproject.toml is pinned exactly (``==``);
- each pin (runtime, build system, and for test.txt the ``test`` extra) is in the lock with that version;
- what the lock says came straight from pyproject.toml is still in pyproject.toml;
- every package of runtime.txt is in test.txt with the same version (the test environment is the
  runtime one plus the test tools);
- every pinned line of a lock carries at least one hash.

    python scripts/check_lock.py          # exits 1 and says what disagrees
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
_VIA_PYPROJECT = "netwerkregie (pyproject.toml)"


def read_lock(text: str) -> tuple[dict[str, str], set[str], list[str]]:
    """The lock's pins, the names it says come straight from pyproject.toml, and pins without a hash."""
    pins: dict[str, str] = {}
    direct: set[str] = set()
    unhashed: list[str] = []
    current = ""
    for line in text.splitlines():
        match = _PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = match.group(2)
            if not line.rstrip().endswith("\\"):
                unhashed.append(current)
        elif current and _VIA_PYPROJECT in line and line.lstrip().startswith("#"):
            direct.add(current)
    return pins, direct, unhashed


def _direct_pins(requirements: list[str], where: str, problems: list[str], names: set[str]) -> dict[str, str]:
    pins: dict[str, str] = {}
    for text in requirements:
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            problems.append(f"pyproject.toml {where}: {text!r} is not a requirement ({error})")
            continue
        names.add(canonicalize_name(requirement.name))
        specifiers = list(requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==":
            problems.append(f"pyproject.toml {where}: {text!r} is not pinned to one version (name==version)")
            continue
        pins[canonicalize_name(requirement.name)] = specifiers[0].version
    return pins


def problems_with(pyproject_text: str, runtime_text: str, test_text: str) -> list[str]:
    """Everything on which pyproject.toml and the two lock files disagree (empty when they agree)."""
    problems: list[str] = []
    project = tomllib.loads(pyproject_text)
    asked = {"requirements/runtime.txt": set(), "requirements/test.txt": set()}
    runtime = _direct_pins(project["project"].get("dependencies", []), "dependencies", problems,
                           asked["requirements/runtime.txt"])
    build = _direct_pins(project.get("build-system", {}).get("requires", []), "build-system.requires", problems,
                         asked["requirements/runtime.txt"])
    test = _direct_pins(project["project"].get("optional-dependencies", {}).get("test", []), "test extra",
                        problems, asked["requirements/test.txt"])
    asked["requirements/test.txt"] |= asked["requirements/runtime.txt"]
    locks = {"requirements/runtime.txt": read_lock(runtime_text), "requirements/test.txt": read_lock(test_text)}
    wanted = {"requirements/runtime.txt": {**build, **runtime}, "requirements/test.txt": {**build, **runtime, **test}}
    for lock_name, (pins, direct, unhashed) in locks.items():
        for name, version in sorted(wanted[lock_name].items()):
            if name not in pins:
                problems.append(f"{lock_name}: {name}=={version} (pyproject.toml) is missing; run `make lock`")
            elif pins[name] != version:
                problems.append(f"{lock_name}: {name}=={pins[name]}, but pyproject.toml pins {version}; "
                                "run `make lock`")
        for name in sorted(direct - asked[lock_name]):
            problems.append(f"{lock_name}: {name} is there for pyproject.toml, which no longer asks for it; "
                            "run `make lock`")
        problems.extend(f"{lock_name}: {name} has no hash" for name in unhashed)
    runtime_pins, test_pins = locks["requirements/runtime.txt"][0], locks["requirements/test.txt"][0]
    for name, version in sorted(runtime_pins.items()):
        if test_pins.get(name) != version:
            problems.append(f"requirements/test.txt: {name}=={test_pins.get(name, '(missing)')}, but "
                            f"requirements/runtime.txt has {version}; run `make lock`")
    return problems


def main() -> int:
    problems = problems_with((ROOT / "pyproject.toml").read_text(), (ROOT / "requirements/runtime.txt").read_text(),
                             (ROOT / "requirements/test.txt").read_text())
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print("requirements/*.txt agree with pyproject.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
