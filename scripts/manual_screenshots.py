"""MkDocs hook (mkdocs.yml, ``hooks:``): the manual shows the screenshots the browser sweep makes.

A page refers to a screenshot as ``img/<role>/<name>.png`` (relative to the page, so ``../img/...`` from a
chapter in a folder). Nothing under ``docs/img/`` is in git: this hook adds each referenced image to the
build straight from the sweep's folder, ``var/screenshots/<role>/<name>.png``
(``tests/browser/test_axe_sweep.py`` writes it; ``NETWERKREGIE_SCREENSHOTS`` names another folder). So the
manual always shows what the product shows today, and no binary copy lies in the repository.

A screenshot the sweep has not made stops the build, naming the files and how to make them
(``make docs`` makes the missing ones first). Only the plain build test (``tests/test_manual.py``, which
also runs where no browser runs) sets ``NETWERKREGIE_MANUAL_PLACEHOLDERS=1``: a missing screenshot then
becomes a grey placeholder image in that throw-away build, so the test still checks every page, link and
anchor with ``--strict``. The browser test ``tests/browser/test_manual_screenshots.py`` builds without
placeholders, with the real screenshots.
"""

import logging
import os
import re
import struct
import zlib
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.manual_screenshots")

# ``](img/role/name.png`` or ``](../img/role/name.png``: the only way the manual shows a screenshot.
REFERENCE = re.compile(r"\]\((?:\.\./)*img/([a-z0-9-]+)/([a-z0-9-]+)\.png[)\s]")
PLACEHOLDERS = "NETWERKREGIE_MANUAL_PLACEHOLDERS"


def screenshot_dir(config_file: str | os.PathLike[str]) -> Path:
    configured = os.environ.get("NETWERKREGIE_SCREENSHOTS")
    return Path(configured) if configured else Path(config_file).resolve().parent / "var" / "screenshots"


def referenced_screenshots(docs_dir: Path) -> set[tuple[str, str]]:
    """Every (role, name) that a page of the manual shows."""
    found: set[tuple[str, str]] = set()
    for page in docs_dir.rglob("*.md"):
        found.update(REFERENCE.findall(page.read_text(encoding="utf-8")))
    return found


def missing_screenshots(config_file: str | os.PathLike[str], docs_dir: Path) -> list[Path]:
    folder = screenshot_dir(config_file)
    return sorted(folder / role / f"{name}.png" for role, name in referenced_screenshots(docs_dir)
                  if not (folder / role / f"{name}.png").is_file())


def placeholder_png(width: int = 320, height: int = 180) -> bytes:
    """A plain grey PNG, made here so the placeholder needs no image library and no file in git."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xd9" * width for _ in range(height))  # filter byte, then grey pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    folder = screenshot_dir(config.config_file_path)
    allow_placeholders = os.environ.get(PLACEHOLDERS) == "1"
    missing: list[Path] = []
    for role, name in sorted(referenced_screenshots(Path(config.docs_dir))):
        uri, source = f"img/{role}/{name}.png", folder / role / f"{name}.png"
        if source.is_file():
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        elif allow_placeholders:
            log.info("Placeholder for %s (the browser sweep has not made it here)", source)
            files.append(File.generated(config, uri, content=placeholder_png()))
        else:
            missing.append(source)
    if missing:
        listed = "\n  ".join(str(path) for path in missing)
        raise PluginError(
            f"The manual shows {len(missing)} screenshot(s) that the browser sweep has not made:\n  {listed}\n"
            "Make them with `make docs` (or `.venv/bin/pytest tests/browser/test_manual_screenshots.py`), "
            "which runs the sweep's own steps for the missing pages.")
    return files
