"""The one CSV writer of the project: every CSV file the application makes goes through ``csv_response``.

The dialect is what Dutch spreadsheet software opens as is: semicolon-separated, decimal comma, UTF-8
with a byte order mark. A text cell that a spreadsheet would read as a formula (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a line break) gets a single quote in front, so a title such as
``=HYPERLINK(...)`` typed by a user arrives as text and never runs (OWASP, "CSV injection"). Every cell is
quoted, so a spreadsheet that splits on commas instead (English regional settings) cannot cut
``x,=HYPERLINK(...)`` into a formula either. Numbers and dates are written by their type, so a negative
amount stays a number (spreadsheets read a quoted number as a number).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

Cell = str | int | float | Decimal | datetime.date | None


def amount(value: Decimal | float) -> str:
    """Two decimals with a decimal comma: -12.5 is ``-12,50``."""
    return f"{value:.2f}".replace(".", ",")


def cell(value: object) -> str:
    """What one cell holds in the file: numbers and dates by their type, any other value as neutral text."""
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int to Python, but not a number to a reader
        return neutral(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return amount(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutral(str(value))


def neutral(text: str) -> str:
    """Text that a spreadsheet shows as text: a quote before a leading formula character."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, rows: Iterable[Sequence[object]]) -> HttpResponse:
    """A download of ``rows`` (header rows included; an empty row is a blank line) as ``filename``."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return response
