"""Small counts hidden so that no one can be singled out, not even by subtracting from totals.

Every count from 1 to 4 is hidden and shown as "<5". A hidden count could still be worked out
from a sum that is printed in full (a row and its total): as the only hidden entry, or when the
hidden entries add up so little (or so much) that only one split is possible — ``<5`` and
``<5`` in a row whose hidden part is 2 are both 1. Such a sum gets more hidden entries (the
smallest other counts, shown as "≥5"), or finally its total hidden, until every small count
could still be any of several values. Entries shared by several tables (the grand totals) are one
key, so they are hidden everywhere or nowhere.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

Key = Hashable
THRESHOLD = 5


class Suppression:
    """Counts by key, the sums that tie them together, and which of them must be hidden."""

    def __init__(self) -> None:
        self.values: dict[Key, int] = {}
        self._sums: list[tuple[list[Key], Key]] = []
        self._hidden: set[Key] | None = None

    def set(self, key: Key, value: int) -> None:
        self.values[key] = value
        self._hidden = None

    def add_sum(self, parts: Iterable[Key], total: Key) -> None:
        """Declare that ``total`` is the sum of ``parts``, all printed side by side."""
        self._sums.append((list(parts), total))
        self._hidden = None

    def value(self, key: Key) -> int:
        return self.values.get(key, 0)

    def is_hidden(self, key: Key) -> bool:
        if self._hidden is None:
            self._hidden = self._solve()
        return key in self._hidden

    def show(self, key: Key) -> str:
        """The count as the report prints it."""
        value = self.value(key)
        if not self.is_hidden(key):
            return str(value)
        return "<5" if value < THRESHOLD else "≥5"

    def _solve(self) -> set[Key]:
        hidden = {key for key, value in self.values.items() if 0 < value < THRESHOLD}
        changed = True
        while changed:
            changed = False
            for parts, total in self._sums:
                if self._protected(parts, total, hidden):
                    continue
                partner = self._partner(parts, total, hidden)
                if partner is not None:
                    hidden.add(partner)
                    changed = True
        return hidden

    def _protected(self, parts: list[Key], total: Key, hidden: set[Key]) -> bool:
        """True when no hidden count of this sum can be pinned to one value from it."""
        hidden_parts = [key for key in parts if key in hidden]
        if total in hidden:
            return len(hidden_parts) != 0
        if not hidden_parts:
            return True
        if len(hidden_parts) == 1:
            return False
        small = sum(1 for key in hidden_parts if self.value(key) < THRESHOLD)
        large = len(hidden_parts) - small
        rest = sum(self.value(key) for key in hidden_parts)  # what the reader can work out
        if large:
            # Large ones are open upwards: each small one ranges over 1..rest-5*large-(small-1).
            return rest >= THRESHOLD * large + small + 1
        # Only small ones (each 1..4): ambiguous unless all are 1 or all are 4.
        return small + 1 <= rest <= (THRESHOLD - 1) * small - 1

    def _partner(self, parts: list[Key], total: Key, hidden: set[Key]) -> Key | None:
        """The smallest shown count of a sum, a part before the total."""
        candidates = [key for key in parts if key not in hidden and self.value(key) > 0]
        if not candidates and total not in hidden and self.value(total) > 0:
            candidates = [total]
        return min(candidates, key=lambda key: (self.value(key), str(key)), default=None)
