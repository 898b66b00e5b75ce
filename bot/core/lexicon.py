"""The keyword lexicons: data in ``locales/keywords/<lang>.yaml``, loaded and checked here.

Words live in YAML so that the people who hear how newcomers really write (Integrationslotsen,
counsellors) can add them without touching code. The file format is described in
``locales/keywords/README.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar, Generic, NamedTuple, TypeVar

import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.normalise import normalise
from bot.settings import LAUNCH_LANGUAGES

TOPICS: tuple[str, ...] = (
    "migration_counselling",
    "youth_migration",
    "language_course",
    "psychosocial",
    "interpreter",
    "recognition",
    "work",
    "housing",
    "health",
    "childcare_school",
    "residence",
    "women",
    "crisis",
)
CRISIS = "crisis"
ROUTED_TOPICS: tuple[str, ...] = tuple(topic for topic in TOPICS if topic != CRISIS)
"""Topics found by keyword scoring; crisis has its own, more careful detector."""

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "locales" / "keywords"
WEAK_MARK = "~"
"""Marks a phrase that hints at a topic but never decides it alone ("~almanca": the language)."""
WEAK_WEIGHT = 0.5


class Sense(NamedTuple):
    """What a phrase means: its topic, the language it came from, how much it counts.

    ``topic`` None marks small talk such as "opening hours" or "часы работы": matched like any
    phrase, it keeps its words ("работы") from counting for a topic.
    """

    topic: str | None
    lang: str | None
    weight: float = 1.0


class _TextLoader(yaml.SafeLoader):
    """Reads every plain scalar as text: in a word list "no", "on" and "24" are words."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[object]]] = {}  # none inherited


class LexiconError(ValueError):
    """A keyword file is missing or malformed; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class LanguageLexicon:
    """One language's words. ``topics`` covers every routed topic, ``crisis`` the crisis topic."""

    lang: str
    topics: Mapping[str, tuple[str, ...]]
    crisis: tuple[str, ...]
    function_words: frozenset[str]
    not_topic: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every launch language's words, by language code."""

    languages: Mapping[str, LanguageLexicon]

    def topic_entries(self) -> Iterator[tuple[str, Sense]]:
        """Every (phrase, sense): topic phrases (weak ones without their mark) and small talk.

        Small talk of one word needs no phrase: it is a blocker. Longer small talk is matched
        as a phrase without a topic, so that it claims its words.
        """
        for lang, lexicon in self.languages.items():
            for topic, phrases in lexicon.topics.items():
                for phrase in phrases:
                    if phrase.startswith(WEAK_MARK):
                        yield phrase.removeprefix(WEAK_MARK), Sense(topic, lang, WEAK_WEIGHT)
                    else:
                        yield phrase, Sense(topic, lang)
            for phrase in lexicon.not_topic:
                if " " in phrase.strip():
                    yield phrase, Sense(None, lang)

    def crisis_entries(self) -> Iterator[tuple[str, str]]:
        """Every (phrase, lang) that signals acute danger."""
        for lang, lexicon in self.languages.items():
            for phrase in lexicon.crisis:
                yield phrase, lang


def _phrases(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise LexiconError(f"{where}: expected a non-empty list of phrases")
    for position, phrase in enumerate(value):
        if not isinstance(phrase, str) or not phrase.strip():
            raise LexiconError(f"{where}[{position}]: expected a phrase, got {phrase!r}")
    return tuple(value)


def load_language(path: Path, lang: str) -> LanguageLexicon:
    """Read and check one language's file; every routed topic and a crisis list are required."""
    name = path.name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextLoader)
    except OSError as error:
        raise LexiconError(f"{name}: cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise LexiconError(f"{name}: not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: expected a mapping at the top")
    unknown_keys = set(data) - {"function_words", "not_topic", "topics", "crisis"}
    if unknown_keys:
        raise LexiconError(f"{name}: unknown keys {sorted(unknown_keys)}")
    topics = data.get("topics")
    if not isinstance(topics, dict):
        raise LexiconError(f"{name}: topics: expected a mapping of topic to phrases")
    unknown_topics = set(topics) - set(ROUTED_TOPICS)
    if unknown_topics:
        raise LexiconError(f"{name}: topics: unknown topics {sorted(unknown_topics)}")
    return LanguageLexicon(
        lang=lang,
        topics=MappingProxyType(
            {
                topic: _phrases(topics.get(topic), f"{name}: topics.{topic}")
                for topic in ROUTED_TOPICS
            }
        ),
        crisis=_phrases(data.get("crisis"), f"{name}: crisis"),
        function_words=frozenset(_phrases(data.get("function_words"), f"{name}: function_words")),
        not_topic=_phrases(data.get("not_topic"), f"{name}: not_topic"),
    )


def load_lexicon(locales_dir: Path | None = None) -> Lexicon:
    """All launch languages' keyword files from ``locales_dir`` (default ``locales/keywords``)."""
    directory = locales_dir or DEFAULT_DIR
    languages = {lang: load_language(directory / f"{lang}.yaml", lang) for lang in LAUNCH_LANGUAGES}
    return Lexicon(languages=MappingProxyType(languages))


@dataclass(frozen=True, slots=True)
class Policy:
    """How loosely message words may match lexicon words.

    ``edit_steps`` are the word lengths at which one more typo is forgiven (a word of length
    ``edit_steps[0]`` may have one, of ``edit_steps[1]`` two, …); words shorter than the first
    step must match exactly, because short words have too many neighbours ("kurs", "kurz").
    ``min_stem`` is the shortest lexicon word recognised inside a longer message word, which is
    how inflection and compounds ("Mietwohnungen", "kursuna", "квартиру") are found.
    ``max_gap`` is how many message words may stand between the words of a phrase.
    ``suffixing`` languages chain long endings onto short stems ("ağrıyor", "vizemin"), so a
    short word with a long ending counts in full there.
    """

    edit_steps: tuple[int, ...]
    min_stem: int
    max_gap: int
    suffixing: frozenset[str] = frozenset()


P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Hit(Generic[P]):
    """Message tokens ``start:end`` matched a phrase; ``payloads`` say what the phrase means."""

    start: int
    end: int
    payloads: tuple[P, ...]
    quality: float


_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "مي", "و", "ب", "ل", "ف")
_ARABIC_SUFFIXES = (
    "هاي",
    "هاش",
    "ها",
    "هم",
    "كم",
    "نا",
    "ات",
    "ين",
    "ون",
    "ام",
    "مان",
    "ي",
    "ك",
    "م",
)


def _longest_first(endings: str) -> tuple[str, ...]:
    return tuple(sorted(endings.split(), key=len, reverse=True))


_ENDINGS = {
    "cyrillic": (
        _longest_first(
            "ями ами ого ому его ему ими ыми ей ой ий ый ій ої ою ею ах ях ам ям ом ем ів ов ев "
            "их ых и ы і а я у ю е о ь й ї є"
        ),
        4,
    ),
    # Polish case endings after normalising (ą, ę → a, e). Both sides of a comparison lose them,
    # so in other Latin-script languages they only bring forms together ("kurse", "kurs").
    "latin": (_longest_first("ami ach om ow ia ie ii iu ej a e i o u y"), 5),
}
_MOBILE_VOWELS = {"cyrillic": ("ое", "аеиоуыэюяіїєь"), "latin": ("e", "aeiouy")}
_AFFIX_QUALITY = 0.85
_JOINED_QUALITY = 0.95
_MIN_JOINED = 8
_MIN_JOINED_EXACT = 5
_SHORT_STEM = 5
_SHORT_STEM_QUALITY = 0.55
_MIN_CONTEXT_TYPO = 4
_CONTEXT_TYPO_QUALITY = 0.75
_MAX_STEM_TOKEN = 30  # longer "words" are pasted garbage; no substring search in them


def _is_arabic(token: str) -> bool:
    return "\u0600" <= token[0] <= "\u06ff"


def _without_prefix(token: str) -> list[str]:
    """An Arabic-script token without its attached conjunction or preposition (و, ب, لل …)."""
    return [token[len(prefix) :] for prefix in _ARABIC_PREFIXES if token.startswith(prefix)]


def _script(token: str) -> str | None:
    """The script whose case endings ``token`` may carry."""
    first = token[0]
    if "\u0400" <= first <= "\u04ff":
        return "cyrillic"
    if first.isascii() and first.isalpha():
        return "latin"
    return None


def inflection_key(token: str) -> str:
    """A word without its case ending: квартиру, квартира → квартир; lekarza, lekarz → lekarz.

    A vowel that comes and goes before the last consonant goes too: садок, садку → садк;
    wniosek, wnioski → wniosk.
    """
    script = _script(token)
    if script is None:
        return token
    endings, shortest = _ENDINGS[script]
    key = token
    for ending in endings:
        if token.endswith(ending) and len(token) - len(ending) >= shortest:
            key = token[: -len(ending)]
            break
    mobile, vowels = _MOBILE_VOWELS[script]
    if len(key) > shortest and key[-2] in mobile and key[-1] not in vowels:
        key = key[:-2] + key[-1]
    return key


def _mean_quality(parts: list[tuple[str, float]]) -> float:
    """Quality of a phrase: its words' qualities weighted by their length."""
    total = sum(len(word) for word, _ in parts)
    return sum(len(word) * quality for word, quality in parts) / total


class PhraseIndex(Generic[P]):
    """Exact, fuzzy and stem lookup of lexicon phrases in a tokenised message.

    Built once per lexicon or catalogue change and read-only afterwards, so one index serves
    every conversation. Phrases are normalised token tuples; each carries the payloads of every
    entry that spelled it. ``language`` tells a payload's language, so that a word of one
    language is never read as a typo of another's ("place" is not Polish "prace"). Words in
    ``blockers`` (function words, small talk) are never read as a typo of a lexicon word.
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, P]],
        policy: Policy,
        language: Callable[[P], str | None],
        blockers: Iterable[str] = (),
        max_phrase_tokens: int = 8,
    ) -> None:
        self.policy = policy
        phrases: dict[tuple[str, ...], list[P]] = {}
        for phrase, payload in entries:
            tokens = tuple(normalise(phrase).split())
            if 0 < len(tokens) <= max_phrase_tokens:
                payloads = phrases.setdefault(tokens, [])
                if payload not in payloads:
                    payloads.append(payload)
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[P, ...]]]] = {}
        languages: dict[str, set[str | None]] = {}
        for tokens, payloads in list(phrases.items()):
            joined = "".join(tokens)
            if len(tokens) == 2 and len(joined) >= _MIN_JOINED and (joined,) not in phrases:
                phrases[(joined,)] = payloads  # "deutsch lernen" is also "Deutschlernen"
        for tokens, payloads in phrases.items():
            self._by_first.setdefault(tokens[0], []).append((tokens, tuple(payloads)))
            for token in tokens:
                languages.setdefault(token, set()).update(map(language, payloads))
        self._languages = {word: frozenset(langs) for word, langs in languages.items()}
        self._blockers = frozenset(blockers)
        self._stem_words = frozenset(word for word in languages if len(word) >= policy.min_stem)
        self._by_inflection: dict[str, list[str]] = {}
        for word in languages:
            self._by_inflection.setdefault(inflection_key(word), []).append(word)
        self._by_length: dict[tuple[int, str], list[str]] = {}
        for word in languages:
            if self._allowed_edits(len(word) + 1, _is_arabic(word)):
                self._by_length.setdefault((len(word), word[0]), []).append(word)
                self._by_length.setdefault((len(word), ""), []).append(word)

    @property
    def size(self) -> int:
        return sum(len(phrases) for phrases in self._by_first.values())

    @property
    def words(self) -> frozenset[str]:
        """Every word of every phrase: real words, in the languages the phrases came from."""
        return frozenset(self._languages)

    def _allowed_edits(self, length: int, arabic: bool) -> int:
        # Arabic script writes few vowels, so its words pack more into fewer letters.
        length = length - 1 if arabic else length
        return sum(1 for step in self.policy.edit_steps if length >= step)

    def _add_fuzzy(
        self, token: str, found: dict[str, float], factor: float = 1.0, most: int = 3
    ) -> None:
        """Lexicon words within a few typos; the longer of two words decides how many."""
        arabic = _is_arabic(token)
        reach = min(most, self._allowed_edits(len(token) + 1, arabic))
        if not reach:
            return
        # Typos rarely hit a short word's first letter, and demanding it avoids "haus" → "maus".
        first = "" if len(token) >= 8 else token[0]
        for length in range(len(token) - reach, len(token) + reach + 1):
            choices = self._by_length.get((length, first))
            if not choices:
                continue
            allowed = min(most, self._allowed_edits(max(length, len(token)), arabic))
            for word, distance, _ in process.extract(
                token, choices, scorer=OSA.distance, score_cutoff=allowed, limit=None
            ):
                quality = factor * (1.0 - 2.0 * distance / max(len(word), len(token)))
                found[word] = max(found.get(word, 0.0), quality)

    def _add_affixed(self, token: str, found: dict[str, float]) -> None:
        """Arabic and Persian words with clitics: "بالمدرسة", "شغلي", "خانه‌ام"."""
        for rest in (token, *_without_prefix(token)):
            for suffix in ("", *_ARABIC_SUFFIXES):
                stem = rest[: len(rest) - len(suffix)] if suffix else rest
                if not rest.endswith(suffix) or len(stem) < 2:
                    continue
                # The feminine plural replaces teh marbuta: دورات is the plural of دورة (دوره).
                for word in (stem, stem + "ه") if suffix == "ات" else (stem,):
                    if word != token and word in self._languages:
                        found[word] = max(found.get(word, 0.0), _AFFIX_QUALITY)
            if rest != token:
                self._add_fuzzy(rest, found, _AFFIX_QUALITY)

    def _add_inflected(self, token: str, found: dict[str, float]) -> None:
        """Words in another case: документами for документи, formularzami for formularz."""
        for word in self._by_inflection.get(inflection_key(token), ()):
            if word != token:
                found[word] = max(found.get(word, 0.0), _AFFIX_QUALITY)

    def _add_stems(self, token: str, found: dict[str, float], inner: bool = True) -> None:
        """Lexicon words inside a longer token: inflected forms and, if ``inner``, compounds."""
        length = len(token)
        if length > _MAX_STEM_TOKEN:
            return
        for start in range(length - self.policy.min_stem + 1 if inner else 1):
            # A word at the start of a token is most likely its stem; elsewhere demand more.
            shortest = self.policy.min_stem + (2 if start else 0)
            for end in range(start + shortest, length + (1 if start else 0)):
                word = token[start:end]
                if word in self._stem_words:
                    # The more of the token a word covers, the likelier it is what was meant:
                    # "kinderarzt" rather than "kinder" in "kinderarztpraxis"; a short word
                    # with a long ending may be another word ("pain" in "painter").
                    quality = 0.5 + 0.45 * (end - start) / length
                    short = end - start <= _SHORT_STEM and length - (end - start) >= 3
                    if short and not self._languages[word] & self.policy.suffixing:
                        quality = min(quality, _SHORT_STEM_QUALITY)
                    found[word] = max(found.get(word, 0.0), quality)

    def candidates(self, token: str) -> dict[str, float]:
        """Lexicon words this message token may stand for, with how sure that is (0..1]."""
        own = self._languages.get(token)
        if token in self._blockers:
            return {token: 1.0} if own else {}
        found: dict[str, float] = {}
        if _is_arabic(token):
            self._add_affixed(token, found)
        else:
            # A lexicon word may be an inflected form of another ("antragen", "anträge"), but
            # it is no compound of others: "beantragen" holds no "antrag".
            self._add_stems(token, found, inner=own is None)
            self._add_inflected(token, found)
        if own is None:
            self._add_fuzzy(token, found)
            return found
        fuzzy: dict[str, float] = {}
        self._add_fuzzy(token, fuzzy, most=1)
        for word, quality in fuzzy.items():
            # A real word may be another spelling of a word of its own language ("shaml",
            # "shamel"), never a typo of another language's word: "place" is not "prace".
            if None in own or own & self._languages[word] or None in self._languages[word]:
                found[word] = max(found.get(word, 0.0), quality)
        found[token] = 1.0
        return found

    def find(self, tokens: Sequence[str]) -> list[Hit[P]]:
        """Every phrase found in ``tokens``, overlapping ones included."""
        candidates = [self.candidates(token) for token in tokens]
        hits: list[Hit[P]] = []
        for start, found in enumerate(candidates):
            for word, quality in found.items():
                for phrase, payloads in self._by_first.get(word, ()):
                    match = self._rest_of_phrase(tokens, candidates, start, phrase, quality)
                    if match:
                        hits.append(Hit(start, match[0], payloads, match[1]))
        for start in range(len(tokens) - 1):
            hits.extend(self._split_compound(tokens[start], tokens[start + 1], start))
        return hits

    def _split_compound(self, first: str, second: str, start: int) -> Iterator[Hit[P]]:
        """A one-word phrase typed as two words: "Auslander behorde", "iş veren"."""
        joined = first + second
        if min(len(first), len(second)) < 2 or len(joined) < _MIN_JOINED_EXACT:
            return
        found: dict[str, float] = {joined: 1.0} if joined in self._languages else {}
        if min(len(first), len(second)) >= 3 and not {first, second} & self._blockers:
            self._add_fuzzy(joined, found)
        for word, quality in found.items():
            for phrase, payloads in self._by_first.get(word, ()):
                if len(phrase) == 1:
                    yield Hit(start, start + 2, payloads, quality * _JOINED_QUALITY)

    def _rest_of_phrase(
        self,
        tokens: Sequence[str],
        candidates: list[dict[str, float]],
        start: int,
        phrase: tuple[str, ...],
        first_quality: float,
    ) -> tuple[int, float] | None:
        """Where a phrase that begins at ``start`` ends, and how well it matched.

        Inside a phrase a short word may have one typo too ("maz mnie bjie"): its neighbours
        already say what it is.
        """
        parts = [(phrase[0], first_quality)]
        position = start
        for word in phrase[1:]:
            window = range(position + 1, min(position + 2 + self.policy.max_gap, len(tokens)))
            for position in window:
                quality = candidates[position].get(word) or self._in_context(tokens[position], word)
                if quality:
                    break
            else:
                return None
            parts.append((word, quality))
        return position + 1, _mean_quality(parts)

    @staticmethod
    def _in_context(token: str, word: str) -> float:
        """One typo in a phrase word whose neighbours matched; never in its first letter."""
        if min(len(token), len(word)) < _MIN_CONTEXT_TYPO or token[0] != word[0]:
            return 0.0
        return _CONTEXT_TYPO_QUALITY if OSA.distance(token, word, score_cutoff=1) <= 1 else 0.0
