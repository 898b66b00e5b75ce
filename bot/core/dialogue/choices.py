"""The options last shown, and which of them a typed reply means.

People answer a question with buttons by typing: the number ("2"), or the option's words
("лікар" for "🩺 Лікар або лікарня", "tomorow" for "Tomorrow"). The options of the last reply
are kept on ``User.state["options"]`` as ``[label, value]`` pairs (labels are the bot's own
texts, never the user's); a typed reply is the option whose label it matches clearly better than
any other. Every feature's buttons go through this, so their flows need nothing of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from bot.core.dialogue import numbers, state, text
from bot.core.messages import Option
from bot.core.normalise import normalise
from bot.storage.models import User

STATE_KEY = "options"
MAX_WORDS = 5
"""A typed choice is a few words; a longer message is a request of its own."""
MIN_WORD = 4
"""Shorter words ("or", "до", "و") say nothing about which option is meant."""
WORD_SCORE = 85
"""How alike (0-100) a typed word and a label's word must be: "лікаря" is "лікар"."""
MARGIN = 15
"""How much better the best option must fit than the next, else the reply is not a choice."""


def remember(user: User, options: Sequence[Option]) -> None:
    """Keep the options just shown (or forget them when there are none)."""
    kept = [[option.label, option.value] for option in options]
    state.update(user, **{STATE_KEY: kept or None})


def shown(user: User) -> list[tuple[str, str]]:
    """``(label, value)`` of the options last shown; values alone from before labels were kept."""
    found = []
    for entry in state.get(user, STATE_KEY) or []:
        if isinstance(entry, str):
            found.append(("", entry))
        elif isinstance(entry, list) and len(entry) == 2 and all(isinstance(e, str) for e in entry):
            found.append((entry[0], entry[1]))
    return found


def by_number(user: User, typed: str) -> str | None:
    """The value of the option a bare number ("2", "٢", "zwei") picks, if there is one."""
    chosen = text.number(typed)
    if chosen is None and text.word_count(typed) <= numbers.MAX_WORDS:
        chosen = numbers.whole_number(typed)
    options = shown(user)
    if chosen is not None and 1 <= chosen <= len(options):
        return options[chosen - 1][1]
    return None


def _words(phrase: str) -> list[str]:
    return [word for word in phrase.split() if len(word) >= MIN_WORD and not word.isdigit()]


def _fit(typed: str, label: str) -> float:
    """How well (0-100) a normalised reply fits a normalised label."""
    if not label:
        return 0.0
    whole = fuzz.ratio(typed, label)
    typed_words, label_words = _words(typed), _words(label)
    if not typed_words or not label_words:
        return whole
    matched = sum(
        1
        for word in typed_words
        if max(fuzz.ratio(word, other) for other in label_words) >= WORD_SCORE
    )
    return max(whole, 100.0 * matched / len(typed_words))


def _action(value: str) -> str:
    """What pressing the option does, without its argument ("itp:kind", "core:topic")."""
    return ":".join(value.split(":")[:2])


def by_words(user: User, typed: str, *, new_request: bool = False) -> str | None:
    """The value of the one option whose label a short typed reply names, else None.

    When the text also reads as a new request (``new_request``), it answers only a question
    among alternatives of one kind (the kinds of appointment, the towns, the topics): a word that
    names a lone button next to an answer ("My interpreter requests") is the new request.
    """
    if text.word_count(typed) > MAX_WORDS:
        return None
    reply = normalise(typed)
    if not reply:
        return None
    scored = sorted(
        ((_fit(reply, normalise(label)), value) for label, value in shown(user)),
        reverse=True,
    )
    if not scored:
        return None
    best, value = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best < WORD_SCORE or best - runner_up < MARGIN:
        return None
    if new_request:
        alike = sum(1 for _, other in shown(user) if _action(other) == _action(value))
        if alike < 2:
            return None
    return value
