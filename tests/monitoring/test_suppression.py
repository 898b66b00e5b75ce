"""Hidden small counts stay hidden even for a reader who does sums with what is shown."""

from __future__ import annotations

from itertools import product

import pytest

from bot.monitoring.suppression import Suppression


def row(*parts: int) -> Suppression:
    """One printed row: its parts and their total."""
    suppression = Suppression()
    for index, value in enumerate(parts):
        suppression.set(index, value)
    suppression.set("total", sum(parts))
    suppression.add_sum(range(len(parts)), "total")
    return suppression


def shown(suppression: Suppression, count: int) -> list[str]:
    return [suppression.show(key) for key in [*range(count), "total"]]


def possible_values(printed: list[str], parts: int) -> list[tuple[int, ...]]:
    """Every split of the hidden entries a reader could think of, given the printed row."""
    total = int(printed[-1]) if printed[-1].isdigit() else None
    ranges = []
    for cell in printed[:parts]:
        if cell == "<5":
            ranges.append(range(1, 5))
        elif cell == "≥5":
            ranges.append(range(5, 60))
        else:
            ranges.append(range(int(cell), int(cell) + 1))
    return [
        combination
        for combination in product(*ranges)
        if total is None or sum(combination) == total
    ]


def test_small_counts_are_hidden_and_zero_is_not() -> None:
    assert shown(row(0, 7, 9), 3) == ["0", "7", "9", "16"]
    assert row(3, 12).show(0) == "<5"


def test_a_lone_small_count_gets_a_partner() -> None:
    assert shown(row(3, 12, 20), 3) == ["<5", "≥5", "20", "35"]


@pytest.mark.parametrize(
    "parts",
    [(3, 12), (1, 5), (1, 1, 20), (4, 4, 30), (1, 5, 6, 40), (2, 0, 0), (1, 2, 3, 50), (4, 5)],
)
def test_no_small_count_can_be_worked_out(parts: tuple[int, ...]) -> None:
    printed = shown(row(*parts), len(parts))
    splits = possible_values(printed, len(parts))
    assert tuple(parts) in splits
    for index, value in enumerate(parts):
        if 0 < value < 5:
            assert len({split[index] for split in splits}) > 1, (parts, printed)


def test_shared_totals_are_hidden_in_every_table() -> None:
    suppression = Suppression()
    for key, value in {"a": 3, "b": 40, "week1": 2, "week2": 41, "all": 43}.items():
        suppression.set(key, value)
    suppression.add_sum(["a", "b"], "all")
    suppression.add_sum(["week1", "week2"], "all")
    assert [suppression.show(key) for key in ("a", "b", "week1", "week2", "all")] == [
        "<5",
        "≥5",
        "<5",
        "≥5",
        "43",
    ]
