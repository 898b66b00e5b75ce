"""Naming the valid choices after a typo, so an admin can mend it without opening the docs."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

_MIN_SCORE = 70
_LISTED = 15


def quoted(value: object, limit: int = 60) -> str:
    """A value for an error message: quoted, and cut so a huge or hostile value stays short."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def valid_choices(value: object, choices: Iterable[str]) -> str:
    """'did you mean 'x'?' when one choice is close, else the choices themselves."""
    options = sorted(set(choices))
    if not options:
        return "there is none yet"
    if isinstance(value, str) and value:
        best = process.extractOne(value, options, scorer=fuzz.WRatio, score_cutoff=_MIN_SCORE)
        if best is not None:
            return f"did you mean {quoted(best[0])}?"
    listed = ", ".join(options[:_LISTED])
    more = f" and {len(options) - _LISTED} more" if len(options) > _LISTED else ""
    return f"valid: {listed}{more}"
