"""Numbers written as words ("neunzehn", "nineteen", "девятнадцать", "نوزده") in the launch
languages, and ages stated inside a sentence ("my son is 15", "ich bin neunzehn Jahre alt").

People answer "How old are you?" the way they would say it. The word forms come from
``num2words`` for each launch language, so no table is kept by hand; they are compared in the
router's normal form with spaces and hyphens removed, so "twenty-one", "twenty one", "on dokuz"
and "ondokuz" are the same number.
"""

from __future__ import annotations

import re
from functools import cache

from num2words import num2words
from rapidfuzz import fuzz, process

from bot.core.normalise import normalise
from bot.settings import LAUNCH_LANGUAGES

MAX_AGE = 120
MAX_WORDS = 4
"""The longest number word run looked at ("واحد و عشرون", twenty-one, needs three)."""
TYPO_SCORE = 90
"""How alike (0-100) a long typed word and a number word must be: "neunzen" is nineteen."""
TYPO_MIN_LENGTH = 7
"""Shorter number words count only exactly: "sechs" and "sechzig" are too close to guess."""

MIN_CUE_STEM = 3
"""Cue words this long also count with an ending ("سال" in "سالشه", "jahr" in "jährigen")."""

_DIGITS = re.compile(r"(?<!\d)(\d{1,3})(?!\d)")
AGE_CUES: dict[str, tuple[str, ...]] = {
    "de": ("jahr", "jahre", "jahren", "jährig", "alt"),
    "en": ("year", "years", "yr", "yrs", "old", "aged", "age", "yo"),
    "ar": ("سنة", "سنوات", "عام", "أعوام", "عمر", "عمري", "عمره", "عمرها"),
    "fa": ("سال", "ساله", "سن"),
    "uk": ("рік", "роки", "років", "річний", "річна", "вік"),
    "ru": ("лет", "год", "года", "годиков", "летний", "летняя", "возраст"),
    "tr": ("yaş", "yaşında", "yaşındayım"),
    "pl": ("lat", "lata", "latek", "letni", "letnia", "wiek"),
}
"""Words that make a number an age ("15 Jahre", "۱۵ سال", "15 лет", "15 yaşında", "15 lat")."""
AGE_LEADS: dict[str, tuple[str, ...]] = {
    "de": ("bin", "ist"),
    "en": ("am", "is", "i'm"),
    "ru": ("мне", "ему", "ей"),
    "uk": ("мені", "йому", "їй"),
}
"""Words right before a number that state an age ("he is 15", "ich bin 19", "ему 15")."""
_AGE_CUES = frozenset(normalise(word) for words in AGE_CUES.values() for word in words)
_AGE_LEADS = frozenset(normalise(word) for words in AGE_LEADS.values() for word in words)


def _compact(text: str) -> str:
    return text.replace(" ", "")


@cache
def _number_words() -> dict[str, int]:
    """Every launch language's words for 1 to ``MAX_AGE``, compacted, mapped to their value."""
    words: dict[str, int] = {}
    for lang in LAUNCH_LANGUAGES:
        for value in range(1, MAX_AGE + 1):
            words.setdefault(_compact(normalise(num2words(value, lang=lang))), value)
    return words


def _word_value(tokens: list[str]) -> int | None:
    """The number the tokens spell together, exactly or (long words) with one typo."""
    joined = _compact("".join(tokens))
    words = _number_words()
    if joined in words:
        return words[joined]
    if len(tokens) == 1 and len(joined) >= TYPO_MIN_LENGTH:
        best = process.extractOne(joined, words.keys(), scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
        if best is not None:
            return words[best[0]]
    return None


def numbers_in(text: str) -> list[tuple[int, int, int]]:
    """``(value, start, end)`` of each number in the text, by token positions, digits or words.

    The longest run of number words wins ("twenty one" is 21, not 20 and 1).
    """
    tokens = normalise(text).split()
    found: list[tuple[int, int, int]] = []
    start = 0
    while start < len(tokens):
        digits = _DIGITS.fullmatch(tokens[start])
        if digits:
            found.append((int(digits.group(1)), start, start + 1))
            start += 1
            continue
        for size in range(min(MAX_WORDS, len(tokens) - start), 0, -1):
            value = _word_value(tokens[start : start + size])
            if value is not None:
                found.append((value, start, start + size))
                start += size
                break
        else:
            start += 1
    return found


def whole_number(text: str) -> int | None:
    """The number a reply consists of and nothing else ("zwei", "два", "iki"), else None."""
    found = numbers_in(text)
    if len(found) == 1 and found[0][1] == 0 and found[0][2] == len(normalise(text).split()):
        return found[0][0]
    return None


def age_answer(text: str) -> int | None:
    """The age in an answer to "How old are you?": the first plausible number in it."""
    for value, _, _ in numbers_in(text):
        if 0 < value <= MAX_AGE:
            return value
    return None


def _is_age_cue(token: str) -> bool:
    """A cue word, also with an ending ("سالشه", "jährigen", "yaşındayım")."""
    return token in _AGE_CUES or any(
        token.startswith(cue) for cue in _AGE_CUES if len(cue) >= MIN_CUE_STEM
    )


def stated_age(text: str) -> int | None:
    """An age a sentence states ("a school for my 15-year-old", "ему 15 лет"), else None.

    Unlike an answer to the age question, a number counts only next to a word that makes it
    an age, so "2 children" or "3 courses" are not ages.
    """
    tokens = normalise(text).split()
    for value, start, end in numbers_in(text):
        after = tokens[end : end + 2]
        before = tokens[max(0, start - 1) : start]
        if 0 < value <= MAX_AGE and (
            any(map(_is_age_cue, after)) or _AGE_LEADS.intersection(before)
        ):
            return value
    return None
