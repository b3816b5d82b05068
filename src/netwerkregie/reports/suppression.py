"""Small-number suppression, as statistics offices apply it, before any figure leaves the server.

Primary: a count of persons or records from 1 up to the threshold (REPORT_SUPPRESS_BELOW, default 5)
is shown as "< 5". A zero stays visible: it points at nobody.
Secondary: when a table shows its total, one suppressed cell could be recovered as the total minus
the others. So when exactly one cell is suppressed, the smallest other non-zero cell is suppressed
too; and a total that is itself small is suppressed with its cells.

Tables arrive here as counts; what leaves is text ready to print ("12", "< 5"), never the number."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings


@dataclass
class Row:
    label: str
    count: int
    suppressed: bool = False

    @property
    def shown(self) -> str:
        return f"< {threshold()}" if self.suppressed else str(self.count)


@dataclass
class Table:
    """One figure: labelled counts and their total, suppressed as a whole."""

    title: str
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None

    @property
    def chartable(self) -> list[Row]:
        """The rows a chart draws: those whose number is shown and is not zero (the table lists every row)."""
        return [row for row in self.rows if not row.suppressed and row.count > 0]

    @property
    def bars(self) -> list[dict[str, object]]:
        """Horizontal bars for the server-drawn SVG chart: one per shown row, scaled to the largest."""
        rows = self.chartable
        largest = max((row.count for row in rows), default=0) or 1
        return [{"label": row.label, "shown": row.shown, "y": 8 + 30 * i,
                 "width": round(320 * row.count / largest, 1)} for i, row in enumerate(rows)]

    @property
    def chart_height(self) -> int:
        return 16 + 30 * len(self.chartable)


def threshold() -> int:
    return int(settings.REPORT_SUPPRESS_BELOW)


def small(count: int) -> bool:
    return 0 < count < threshold()


def suppress(title: str, counts: list[tuple[str, int]], *, with_total: bool = True, protect: bool = True) -> Table:
    """``protect=False`` only for counts of partner organisations, which take part knowingly and are
    not persons; every count of persons or of records about them is protected."""
    rows = [Row(label, count, protect and small(count)) for label, count in counts]
    total = Row("total", sum(count for _, count in counts)) if with_total else None
    if total is not None and protect:
        total.suppressed = small(total.count)
        if total.suppressed:
            for row in rows:  # a small total: its parts tell even more
                row.suppressed = row.suppressed or row.count > 0
        hidden = [row for row in rows if row.suppressed]
        if len(hidden) == 1:
            others = sorted((row for row in rows if not row.suppressed and row.count > 0), key=lambda r: r.count)
            if others:
                others[0].suppressed = True
            else:
                total.suppressed = True  # total minus zeros would give the hidden cell away
    return Table(title, rows, total)


def share(part: int, whole: int) -> str:
    """A percentage, or "—" when the whole is too small to say anything without pointing at someone."""
    if whole == 0 or small(whole) or small(part):
        return "—"
    return f"{round(100 * part / whole)}%"
