"""A server process counts the figures once before it serves (``kept.warm``, from gunicorn's
``post_worker_init``): its first reader after a change then waits only for what the change touched, never for a
count of the whole year, and what it shows is still a full recount's figures."""

import datetime
import random
from collections import Counter

import pytest
import time_machine
from django.utils import timezone, translation

from netwerkregie.core.models import User
from netwerkregie.network.models import Organisation
from netwerkregie.reports import figures, kept, tallies
from tests.intake_helpers import submit
from tests.reports.test_kept_cells import ALL, TODAY, acts, at, shown

pytestmark = pytest.mark.django_db
THIS_YEAR, LAST_YEAR = figures.Period.of(TODAY.year), figures.Period.of(TODAY.year - 1)


@pytest.fixture
def periods_read_in_full(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often every signal of a period was read (what a process's first count costs)."""
    calls: Counter[str] = Counter()
    read = tallies._signal_ids_in

    def counting(period: figures.Period) -> set[int]:
        calls[f"{period.start}..{period.end}"] += 1
        return read(period)

    monkeypatch.setattr(tallies, "_signal_ids_in", counting)
    return calls


def test_after_warming_the_first_reader_after_a_change_reads_no_period_in_full(
        municipality: Organisation, periods_read_in_full: Counter[str]) -> None:
    with at(datetime.date(2025, 6, 1)):
        submit(municipality)
    with at(TODAY):
        kept.warm()
        periods_read_in_full.clear()
        submit(municipality)
        after = {period: kept.report(ALL, period) for period in (THIS_YEAR, LAST_YEAR)}
        assert periods_read_in_full == Counter()
        assert {p: shown(s) for p, s in after.items()} == {p: shown(figures.recount(ALL, p)) for p in after}


def test_warming_keeps_both_years_in_every_language(municipality: Organisation, periods_read_in_full: Counter[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with at(TODAY):
        submit(municipality)
        kept.warm()
        built: Counter[str] = Counter()
        monkeypatch.setattr(kept, "SECTIONS", {name: (lambda p, name=name, build=build: built.update([name]) or
                                                      build(p)) for name, build in figures.SECTIONS.items()})
        for language in ("nl", "en"):
            with translation.override(language):
                for period in (THIS_YEAR, LAST_YEAR):
                    kept.report(ALL, period)
    assert periods_read_in_full == Counter({"2026-01-01..2026-12-31": 1, "2025-01-01..2025-12-31": 1})
    assert built == Counter()  # every section of both years, in both languages, was kept by the warming


@pytest.mark.parametrize("seed", [3])
def test_a_warmed_process_shows_a_full_recount_after_acts_of_another(
        users: dict[str, User], settings: object, seed: int) -> None:
    """Warmed at the start; then acts (as another worker records them: only the chain tells this process), and
    every reading equals a full recount, suppression included."""
    settings.REPORT_SUPPRESS_BELOW = 3  # type: ignore[attr-defined]
    rng = random.Random(seed)
    with at(TODAY):
        kept.warm()
    series = acts(users, rng)
    for step in range(12):
        with at(TODAY - datetime.timedelta(days=40 - 3 * step)):
            for _ in range(rng.randint(1, 4)):
                next(series, "none")
        with at(TODAY):
            for period in (THIS_YEAR, LAST_YEAR):
                assert shown(kept.report(ALL, period)) == shown(figures.recount(ALL, period)), (step, period)


def test_the_kept_cells_do_not_expire_within_the_day(municipality: Organisation,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with at(TODAY):
        submit(municipality)
        kept.warm()
    built: Counter[str] = Counter()
    monkeypatch.setattr(kept, "SECTIONS", {name: (lambda p, name=name, build=build: built.update([name]) or
                                                  build(p)) for name, build in figures.SECTIONS.items()})
    evening = datetime.datetime.combine(TODAY, datetime.time(21), timezone.get_current_timezone())
    with time_machine.travel(evening, tick=False), translation.override("nl"):
        kept.report(ALL, THIS_YEAR)
    assert built == Counter()  # eleven hours later, nothing changed: nothing counted again
