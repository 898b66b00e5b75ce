"""What a message's raw text amounts to before it is understood: commands, numbers, nothing.

Work is bounded by reading at most ``MAX_INPUT`` characters, so a 10,000-character paste costs
no more than a long sentence. Invisible and control characters (zero-width spaces, right-to-left
overrides, ``\\x00``…) are dropped: they change nothing a person meant.
"""

from __future__ import annotations

import re
import unicodedata

MAX_INPUT = 2000

_SPACES = re.compile(r"\s+")
_COMMAND = re.compile(r"/([a-z_]{1,32})(?:@\w+)?(?:\s+(.*))?", re.IGNORECASE | re.DOTALL)


def clean(raw: str) -> str:
    """The text without control, format and unassigned characters, whitespace collapsed."""
    kept = []
    for char in raw[:MAX_INPUT]:
        category = unicodedata.category(char)
        if char.isspace():
            kept.append(" ")
        elif category[0] != "C":
            kept.append(char)
    return _SPACES.sub(" ", "".join(kept)).strip()


def has_words(text: str) -> bool:
    """True when some letter or digit is left, i.e. not only emoji, symbols or punctuation."""
    return any(unicodedata.category(char)[0] in "LN" for char in text)


def command(text: str) -> tuple[str, str] | None:
    """``("start", "payload")`` for "/start payload", None for anything not a command."""
    match = _COMMAND.fullmatch(text)
    if match is None:
        return None
    return match.group(1).lower(), (match.group(2) or "").strip()


def number(text: str) -> int | None:
    """The number of a bare numbered reply ("2", "٢", "۲."), else None."""
    stripped = text.strip().rstrip(".)")
    if not stripped or len(stripped) > 3 or not stripped.isdecimal():
        return None
    return int(stripped)


def word_count(text: str) -> int:
    return sum(1 for word in text.split() if has_words(word))
