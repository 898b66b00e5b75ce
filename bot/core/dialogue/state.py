"""The dialogue's memory per user: a few keys of small JSON on ``User.state``, never message text.

Keys: ``await`` (the question the next text answers: ``age``, ``language``, ``region``),
``options`` (``[label, value]`` of the options last shown, for replies by number or by words;
see ``choices``), ``topic`` (the topic whose services were last listed), ``pending`` (a topic to
show once a question is answered), ``route`` (what waits behind the offer to switch language),
``kept`` (languages the user chose not to switch to), ``referred`` (the referral codes whose links
the user opened, so each counts once) and ``feature`` (set by features for their flows).
"""

from __future__ import annotations

from typing import Any

from bot.storage.models import User


def get(user: User, key: str, default: Any = None) -> Any:
    return (user.state or {}).get(key, default)


def update(user: User, **changes: Any) -> None:
    """Set keys (None removes one); assigns a new dict so the JSON column sees the change."""
    state = dict(user.state or {})
    for key, value in changes.items():
        if value is None:
            state.pop(key, None)
        else:
            state[key] = value
    user.state = state


def clear_flow(user: User) -> None:
    """Forget any half-answered question, as after /start, /menu or a crisis."""
    update(user, **{"await": None, "pending": None, "feature": None})
