"""The manual (``docs/``, MkDocs) builds with warnings as errors, has a chapter for every role of the code,
names buttons and pages exactly as the interface does, and shows only screenshots the browser sweep makes.

This build runs wherever the suite runs, also without a browser (the PostgreSQL run): a screenshot the sweep
has not made yet becomes a placeholder here, and only here (``scripts/manual_screenshots.py``). The build
with the sweep's real screenshots is ``tests/browser/test_manual_screenshots.py``.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from netwerkregie.core.navigation import NAVIGATION
from netwerkregie.core.roles import Role
from netwerkregie.demo.management.commands.load_demo import USERS
from scripts.manual_screenshots import PLACEHOLDERS, referenced_screenshots
from tests.demo_pages import ROLES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PO_FILE = ROOT / "src" / "netwerkregie" / "locale" / "nl" / "LC_MESSAGES" / "django.po"

# One chapter per role of ``core.roles.Role``; a role added to the code without a chapter fails the test.
CHAPTERS = {
    Role.COORDINATOR: "rollen/netwerkregisseur",
    Role.CORE_PARTNER: "rollen/kernpartner",
    Role.CASE_MANAGER: "rollen/casusregisseur",
    Role.PARTNER: "rollen/netwerkpartner",
    Role.RECIPIENT: "rollen/ontvangende-organisatie",
    Role.PROGRAMME_OFFICER: "rollen/programmacoordinator",
    Role.ANALYST: "rollen/beleidsmedewerker",
    Role.PRIVACY_OFFICER: "rollen/functionaris-gegevensbescherming",
    Role.ADMIN: "rollen/beheerder",
    Role.APPROVER: "rollen/fiatteur",
}
OTHER_CHAPTERS = ["index", "toezicht", "technisch-beheer", "begrippen", "architecture"]

# Pages without a changing key in their address that the sweep opens beyond a role's menu
# (tests/demo_pages.py); the manual may show these and the menu pages, never a page of one record.
EXTRA_PAGES = {
    "netwerkregisseur": ["intake:signal_new", "intake:session_new", "intake:consultation_new", "cases:case_new",
                         "cases:case_list", "cases:consultation_new", "network:organisation_list",
                         "network:covenant_list", "network:contact_moment_list", "network:neighbourhood_list",
                         "sharing:approval_list"],
    "casusregisseur": ["cases:case_list", "cases:consultation_new"],
    "programma": ["programmes:activity_new", "programmes:budget_new", "programmes:expense_new"],
    "privacy": ["privacy:register", "privacy:verification"],
    "partner": ["intake:consultation_new"],
    "beheer": ["accounts:user_new", "accounts:role_grant_list", "accounts:backup_codes"],
}
PHONE = "partner-390"  # the sweep's partner pages at phone width
PHONE_PAGES = ["home", "intake:signal_new", "intake:consultation_new", "intake:my_signals"]


def screenshot_name(url: str) -> str:
    """The file name the sweep gives a page's screenshot (``shoot`` in tests/browser/test_axe_sweep.py)."""
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "vandaag"


def sweep_pages(folder: str) -> dict[str, str]:
    """Screenshot name -> address, for every page the sweep photographs into ``var/screenshots/<folder>``
    that has a fixed address."""
    if folder == PHONE:
        names = PHONE_PAGES
    else:
        role = next(role for local, _name, role, _organisation in USERS if local == folder)
        names = [item.url_name for item in NAVIGATION if item.roles is None or role in item.roles]
        names += EXTRA_PAGES.get(folder, [])
    return {screenshot_name(reverse(name)): reverse(name) for name in names}


def build(site: Path, *, placeholders: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, PLACEHOLDERS: "1" if placeholders else "0"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                           str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=False)


def interface_texts() -> set[str]:
    """Every Dutch text of the interface (the msgstr values of django.po)."""
    text = PO_FILE.read_text(encoding="utf-8")
    found = set()
    for match in re.finditer(r'^msgstr(?:\[\d\])? ((?:"(?:[^"\\]|\\.)*"\s*)+)', text, re.M):
        found.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))).replace('\\"', '"'))
    return found - {""}


def test_the_manual_builds_strict_with_a_chapter_per_role(tmp_path: Path) -> None:
    result = build(tmp_path / "site", placeholders=True)
    assert result.returncode == 0, result.stderr
    assert set(CHAPTERS) == set(Role), "every role of the code has a chapter"
    for chapter in [*CHAPTERS.values(), *OTHER_CHAPTERS]:
        page = tmp_path / "site" / f"{chapter}.html"
        assert page.is_file(), chapter
        assert "<h1" in page.read_text(encoding="utf-8"), chapter
    assert '<html lang="nl"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_every_screenshot_in_the_manual_is_one_the_sweep_makes() -> None:
    shown = referenced_screenshots(DOCS)
    assert shown, "the manual shows screenshots"
    for folder, name in shown:
        assert folder in [*ROLES, PHONE], f"img/{folder}/{name}.png: no such sweep folder"
        assert name in sweep_pages(folder), f"img/{folder}/{name}.png: the sweep makes no such screenshot"
    # Every role chapter shows at least one screenshot of that role's own pages.
    for chapter in CHAPTERS.values():
        assert "](../img/" in (DOCS / f"{chapter}.md").read_text(encoding="utf-8"), chapter


def test_buttons_and_pages_are_named_as_the_interface_names_them() -> None:
    """In the chapters per role and on oversight, **bold** is kept for texts of the interface (a button, a menu
    entry, a heading); each must be a Dutch text of django.po, literally (``%(x)s`` stands for any word)."""
    texts = interface_texts()
    patterns = [re.compile(re.sub(r"%\\\(\w+\\\)[sd]", ".+", re.escape(text))) for text in texts if "%(" in text]
    pages = [DOCS / "toezicht.md", *(DOCS / f"{chapter}.md" for chapter in CHAPTERS.values())]
    unknown = []
    for page in pages:
        for label in re.findall(r"\*\*([^*]+)\*\*", page.read_text(encoding="utf-8")):
            label = " ".join(label.replace("\u203a", ">").split())
            parts = [part.strip() for part in label.split(">")]  # "Beheer > Gebruikers": a path of entries
            for part in parts:
                if part not in texts and not any(pattern.fullmatch(part) for pattern in patterns):
                    unknown.append(f"{page.name}: {part}")
    assert unknown == []
