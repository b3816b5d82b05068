"""Capped counts for work lists on "Vandaag": a panel that says "99+" need not count twenty thousand rows.

``capped_count`` reads at most ``CAP + 1`` rows of the list's index (``SELECT COUNT(*) FROM (... LIMIT 100)``),
so its cost does not grow with a backlog. The whole number is on the list the figure links to."""

from __future__ import annotations

from typing import Any

CAP = 99


class CappedCount(int):
    """An exact count up to ``CAP``; above it the number ``CAP + 1`` that prints as "99+"."""

    @property
    def capped(self) -> bool:
        return self > CAP

    def __str__(self) -> str:
        return f"{CAP}+" if self.capped else int.__str__(self)


def capped_count(queryset: Any) -> CappedCount:
    return CappedCount(queryset[: CAP + 1].count())
