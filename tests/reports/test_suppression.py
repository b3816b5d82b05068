"""Primary and secondary suppression on the edge cases a statistics office checks."""

import pytest

from netwerkregie.reports.suppression import share, suppress

pytestmark = pytest.mark.usefixtures("settings")


def shown(table) -> dict[str, str]:
    return {row.label: row.shown for row in table.rows} | ({"total": table.total.shown} if table.total else {})


def test_counts_from_one_to_four_are_hidden_and_zero_and_five_are_shown() -> None:
    table = suppress("t", [("a", 0), ("b", 4), ("c", 5), ("d", 1), ("e", 30)])
    assert shown(table) == {"a": "0", "b": "< 5", "c": "5", "d": "< 5", "e": "30", "total": "40"}


def test_one_hidden_cell_and_a_total_hide_the_next_smallest_too() -> None:
    table = suppress("t", [("one case in a neighbourhood", 1), ("north", 12), ("south", 7)])
    assert shown(table) == {"one case in a neighbourhood": "< 5", "north": "12", "south": "< 5", "total": "20"}
    # total minus the shown cells no longer gives the single case away
    assert [row.count for row in table.rows if not row.suppressed] == [12]


def test_a_hidden_cell_beside_only_zeros_hides_the_total() -> None:
    table = suppress("t", [("a", 3), ("b", 0), ("c", 0)])
    assert shown(table) == {"a": "< 5", "b": "0", "c": "0", "total": "< 5"}


def test_a_small_total_hides_every_non_zero_cell() -> None:
    table = suppress("t", [("a", 2), ("b", 1), ("c", 0)])
    assert shown(table) == {"a": "< 5", "b": "< 5", "c": "0", "total": "< 5"}


def test_two_hidden_cells_need_no_further_suppression() -> None:
    table = suppress("t", [("a", 2), ("b", 3), ("c", 9), ("d", 11)])
    assert shown(table) == {"a": "< 5", "b": "< 5", "c": "9", "d": "11", "total": "25"}


def test_the_threshold_is_a_setting(settings) -> None:
    settings.REPORT_SUPPRESS_BELOW = 10
    assert shown(suppress("t", [("a", 9), ("b", 10), ("c", 10)])) == {"a": "< 10", "b": "< 10", "c": "10",
                                                                      "total": "29"}


def test_a_chart_never_draws_a_hidden_bar() -> None:
    table = suppress("t", [("a", 1), ("b", 12), ("c", 7)])
    assert [bar["label"] for bar in table.bars] == ["b"]
    assert [bar["label"] for bar in suppress("t", [("a", 0), ("b", 8)]).bars] == ["b"]  # no empty bars


def test_shares_need_enough_behind_them() -> None:
    assert share(3, 40) == "—"
    assert share(10, 4) == "—"
    assert share(10, 40) == "25%"
