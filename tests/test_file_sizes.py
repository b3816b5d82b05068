"""No source file runs past 400 lines: a module that grows beyond that is split by subject (docs/architecture.md,
"How the code is cut")."""

from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src"
LIMIT = 400


def test_no_source_file_exceeds_the_limit() -> None:
    long = {str(path.relative_to(SOURCE)): count for path in sorted(SOURCE.rglob("*.py"))
            if (count := len(path.read_text().splitlines())) > LIMIT}
    assert long == {}
