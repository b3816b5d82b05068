"""The apps import only downwards (docs/architecture.md, "How the code is cut"): import-linter holds the
contract written in pyproject.toml, and `make lint` runs it. These tests run it on the project, and on a
copy of the project with one planted import that breaks a layer, to show the contract catches it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root / "src")}, check=False)


def copy_with(tmp_path: Path, module: str, planted: str) -> Path:
    """The project's code and contracts in ``tmp_path``, with ``planted`` appended to ``module``."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "src" / "netwerkregie", tmp_path / "src" / "netwerkregie",
                    ignore=shutil.ignore_patterns("templates", "static", "locale", "__pycache__"))
    target = tmp_path / "src" / Path(*module.split(".")).with_suffix(".py")
    target.write_text(target.read_text() + f"\n{planted}\n")
    return tmp_path


def test_the_project_keeps_its_layers() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_an_import_upwards_breaks_the_layers(tmp_path: Path) -> None:
    """core, the lowest app, importing cases (the cycle cases and core would then form)."""
    result = lint_imports(copy_with(tmp_path, "netwerkregie.core.roles", "from netwerkregie.cases import models"))
    assert result.returncode == 1
    assert "netwerkregie.core is not allowed to import netwerkregie.cases" in result.stdout
    assert "netwerkregie.core.roles -> netwerkregie.cases.models" in result.stdout


def test_an_import_between_apps_of_one_layer_breaks_it_too(tmp_path: Path) -> None:
    """approvals and disclosures sit side by side: neither imports the other."""
    result = lint_imports(copy_with(tmp_path, "netwerkregie.approvals.services",
                                    "from netwerkregie.disclosures import services"))
    assert result.returncode == 1
    assert "netwerkregie.approvals is not allowed to import netwerkregie.disclosures" in result.stdout


def test_an_import_hidden_in_a_function_counts(tmp_path: Path) -> None:
    """The old way round a cycle (an import inside a function) is an import all the same."""
    planted = "def later():\n    from netwerkregie.sharing.services import refer\n    return refer"
    result = lint_imports(copy_with(tmp_path, "netwerkregie.cases.services", planted))
    assert result.returncode == 1
    assert "netwerkregie.cases is not allowed to import netwerkregie.sharing" in result.stdout
