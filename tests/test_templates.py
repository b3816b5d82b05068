"""Templates a reviewer can read: no line runs on and on, dates come from Django's localisation (so English
gets English dates), and an NL Design System link is written with {% link %} rather than its classes."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "src" / "netwerkregie" / "templates"
SOURCES = Path(settings.BASE_DIR) / "src" / "netwerkregie"
# One element per line: the aim is no line over 200 characters. Lines left over it hold one element with long
# inline content; both numbers may only go down.
LINE_LIMIT, LINES_OVER_LIMIT, LONGEST_LINE = 200, 176, 726
# A format name (SHORT_DATE_FORMAT, ...) is localised; a weekday alone ("l") is a word; 'Y-m-d' and 'c' are the
# machine-readable forms in <time datetime="...">.
DATE_FILTER = re.compile(r"""\|(?:date|time):(["'])(?P<format>[^"']*)\1""")
ALLOWED_FORMATS = {"l", "Y-m-d", "c"}
HARD_CODED_PYTHON_DATE = re.compile(r"""strftime\(["'][^"']*%d|:%d-%m-%Y""")
HAND_TYPED_URL_LINK = re.compile(r'<a class="utrecht-link utrecht-link--html-a" href="\{% url [^%]*%\}">')
# Buttons, button links and badges come from {% button %}, {% button_link %} and {% badge %} (core/templatetags/
# nl_design.py). Those left typed by hand carry something the tags do not (an htmx attribute, a conditional class,
# a link to a variable's address); the number may only go down.
HAND_TYPED_COMPONENT = re.compile(
    r'class="[^"]*(?:utrecht-button utrecht-button--|utrecht-button-link--html-a|utrecht-badge-status)')
HAND_TYPED_COMPONENTS = 19  # intake/_open_case.html: a conditional class and a query string


def template_files() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.is_file())


def test_template_lines_stay_readable() -> None:
    lengths = {f"{path.relative_to(TEMPLATES)}:{number}": len(line) for path in template_files()
               for number, line in enumerate(path.read_text().splitlines(), 1)}
    assert [where for where, length in lengths.items() if length > LONGEST_LINE] == []
    assert len([where for where, length in lengths.items() if length > LINE_LIMIT]) <= LINES_OVER_LIMIT


def test_dates_are_formatted_by_the_active_language() -> None:
    fixed = [f"{path.relative_to(TEMPLATES)}: {match[0]}" for path in template_files()
             for match in DATE_FILTER.finditer(path.read_text())
             if not match["format"].endswith("_FORMAT") and match["format"] not in ALLOWED_FORMATS]
    assert fixed == []
    # pseudonymity.py writes a date the ways a person might type it, to find it in free text; not for display.
    python = [str(path.relative_to(SOURCES)) for path in SOURCES.rglob("*.py")
              if path.name != "pseudonymity.py" and HARD_CODED_PYTHON_DATE.search(path.read_text())]
    assert python == []


def test_links_to_a_view_use_the_link_tag() -> None:
    hand_typed = [str(path.relative_to(TEMPLATES)) for path in template_files()
                  if HAND_TYPED_URL_LINK.search(path.read_text())]
    assert hand_typed == []


def test_buttons_and_badges_use_the_tags() -> None:
    hand_typed = [f"{path.relative_to(TEMPLATES)}: {match[0]}" for path in template_files()
                  for match in HAND_TYPED_COMPONENT.finditer(path.read_text())]
    assert len(hand_typed) <= HAND_TYPED_COMPONENTS, hand_typed
