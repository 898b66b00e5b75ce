"""Opening hours from the catalogue's structured data, in the reader's locale.

Consecutive days with the same hours are joined ("Mon–Thu 09:00–12:00"); days marked ``closed``
and days the source does not give are left out, never guessed.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.i18n import Translator

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _span(text: str, t: Translator) -> str:
    start, _, end = text.partition("-")
    try:
        return (
            f"{t.time(time.fromisoformat(start.strip()))}–{t.time(time.fromisoformat(end.strip()))}"
        )
    except ValueError:
        return text


def _day_hours(hours: dict[str, Any], day: str, t: Translator) -> str | None:
    spans = hours.get(day)
    if not spans or spans == "closed" or not isinstance(spans, list):
        return None
    return t.list([_span(str(span), t) for span in spans])


def render(hours: dict[str, Any] | None, t: Translator) -> list[str]:
    """One line per group of days with equal hours, plus "by appointment" when so marked."""
    if not hours:
        return []
    names = t.locale.days["format"]["abbreviated"]
    lines: list[str] = []
    group: list[int] = []
    group_hours: str | None = None

    def flush() -> None:
        if group and group_hours:
            label = names[group[0]] if len(group) == 1 else f"{names[group[0]]}–{names[group[-1]]}"
            lines.append(f"{label} {group_hours}")

    for index, day in enumerate(DAYS):
        day_hours = _day_hours(hours, day, t)
        if day_hours is not None and day_hours == group_hours and group and group[-1] == index - 1:
            group.append(index)
            continue
        flush()
        group, group_hours = ([index], day_hours) if day_hours else ([], None)
    flush()
    if hours.get("by_appointment"):
        lines.append(t.gettext("By appointment"))
    return lines
