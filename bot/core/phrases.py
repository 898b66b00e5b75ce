"""Finding lexicon phrases in a tokenised message: exactly, with typos, inflected or in compounds.

People write on phones, in a hurry, in languages with many word forms. The index here forgives
what can be forgiven without mistaking one word for another: a typo in a long word, a case ending,
an Arabic clitic, a word inside a German compound. Which phrases exist and what they mean is the
caller's business (``bot.core.lexicon`` for the keyword files, the catalogue for service names).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.normalise import normalise


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
    ``any_order`` lets a phrase's words come in any order within the same reach ("się zabić" for
    "zabić się", "жить не хочу" for "не хочу жить"); a negation stays in front of its word.
    """

    edit_steps: tuple[int, ...]
    min_stem: int
    max_gap: int
    suffixing: frozenset[str] = frozenset()
    any_order: bool = False


P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Hit(Generic[P]):
    """Message tokens ``start:end`` matched a phrase; ``payloads`` say what the phrase means."""

    start: int
    end: int
    payloads: tuple[P, ...]
    quality: float


@dataclass(frozen=True, slots=True)
class _Movable(Generic[P]):
    """A phrase whose ``units`` may come in any order, found through its unit ``anchor``.

    ``reach`` is how many tokens the whole phrase may span: as many as in its own order.
    """

    units: tuple[tuple[str, ...], ...]
    anchor: int
    reach: int
    payloads: tuple[P, ...]


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
    # Sorani articles and possessives (as normalised: ە → ه, ی → ي, ک → ك): ماڵەکە, کرێکە,
    # بڕوانامەکەم, ئەپارتمانێکمان, شوقەیەکدا, and Pashto plurals: کورونه, ماشومانو.
    "هكانمان",
    "هكانتان",
    "هكهمان",
    "هكهتان",
    "ێكمان",
    "يهكدا",
    "هكانم",
    "هكانت",
    "هكهم",
    "هكهت",
    "هكان",
    "هكه",
    "ێكدا",
    "ێكي",
    "ێكم",
    "يهك",
    "كهم",
    "كان",
    "ێك",
    "كه",
    "ونو",
    "ونه",
    "انو",
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


_MIN_ARABIC_STEM = 2
"""What must be left of a word once a clitic is taken off: "بال" (mind) is no "ب" + "ال"."""


def _is_arabic(token: str) -> bool:
    return bool(token) and "\u0600" <= token[0] <= "\u06ff"


def _without_prefix(token: str) -> list[str]:
    """An Arabic-script token without its attached conjunction or preposition (و, ب, لل …)."""
    return [
        token[len(prefix) :]
        for prefix in _ARABIC_PREFIXES
        if token.startswith(prefix) and len(token) - len(prefix) >= _MIN_ARABIC_STEM
    ]


def _script(token: str) -> str | None:
    """The script whose case endings ``token`` may carry."""
    if not token:
        return None
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


def _units(phrase: tuple[str, ...], negations: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    """A phrase cut into the parts that may move: a negation goes with the word after it.

    "не хочу жить" is (не хочу) (жить): "жить не хочу" means the same, while "хочу жить, не …"
    does not.
    """
    units: list[tuple[str, ...]] = []
    bound: tuple[str, ...] = ()
    for word in phrase:
        if word in negations:
            bound += (word,)
        else:
            units.append((*bound, word))
            bound = ()
    if bound:
        units.append(bound)
    return tuple(units)


class PhraseIndex(Generic[P]):
    """Exact, fuzzy and stem lookup of lexicon phrases in a tokenised message.

    Built once per lexicon or catalogue change and read-only afterwards, so one index serves
    every conversation. Phrases are normalised token tuples; each carries the payloads of every
    entry that spelled it. ``language`` tells a payload's language, so that a word of one
    language is never read as a typo of another's ("place" is not Polish "prace"). Words in
    ``blockers`` (function words, small talk) are never read as a typo of a lexicon word.
    ``negations`` keep their place in phrases matched in any order (see ``Policy.any_order``).
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, P]],
        policy: Policy,
        language: Callable[[P], str | None],
        blockers: Iterable[str] = (),
        max_phrase_tokens: int = 8,
        negations: Iterable[str] = (),
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
        self._by_unit: dict[str, list[_Movable[P]]] = {}
        negation_words = frozenset(normalise(" ".join(negations)).split())
        languages: dict[str, set[str | None]] = {}
        for tokens, payloads in list(phrases.items()):
            joined = "".join(tokens)
            if len(tokens) == 2 and len(joined) >= _MIN_JOINED and (joined,) not in phrases:
                phrases[(joined,)] = payloads  # "deutsch lernen" is also "Deutschlernen"
        for tokens, payloads in phrases.items():
            units = _units(tokens, negation_words) if policy.any_order else (tokens,)
            if len(units) == 1:
                self._by_first.setdefault(tokens[0], []).append((tokens, tuple(payloads)))
            else:
                reach = len(tokens) + (len(tokens) - 1) * policy.max_gap
                for position, unit in enumerate(units):
                    movable = _Movable(units, position, reach, tuple(payloads))
                    self._by_unit.setdefault(unit[0], []).append(movable)
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
        movable = sum(1 for found in self._by_unit.values() for one in found if one.anchor == 0)
        return sum(len(phrases) for phrases in self._by_first.values()) + movable

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
                        hits.append(Hit(start, match[0], payloads, _mean_quality(match[1])))
                for movable in self._by_unit.get(word, ()):
                    hit = self._moved_phrase(tokens, candidates, start, movable, quality)
                    if hit:
                        hits.append(hit)
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
    ) -> tuple[int, list[tuple[str, float]]] | None:
        """Where a phrase that begins at ``start`` ends, and how well each of its words matched.

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
        return position + 1, parts

    def _moved_phrase(
        self,
        tokens: Sequence[str],
        candidates: list[dict[str, float]],
        start: int,
        movable: _Movable[P],
        first_quality: float,
    ) -> Hit[P] | None:
        """A phrase whose units may come in any order, with the unit at ``start`` the first.

        All units must lie within the reach the phrase has in its own order, so that words far
        apart in a long message do not make up a phrase.
        """
        anchor = movable.units[movable.anchor]
        found = self._rest_of_phrase(tokens, candidates, start, anchor, first_quality)
        if found is None:
            return None
        end, parts = found
        limit = min(start + movable.reach, len(tokens))
        taken = set(range(start, end))
        for number, unit in enumerate(movable.units):
            if number != movable.anchor:
                placed = self._place_unit(tokens, candidates, unit, range(start + 1, limit), taken)
                if placed is None:
                    return None
                end = max(end, placed[0])
                parts.extend(placed[1])
        return Hit(start, end, movable.payloads, _mean_quality(parts))

    def _place_unit(
        self,
        tokens: Sequence[str],
        candidates: list[dict[str, float]],
        unit: tuple[str, ...],
        window: range,
        taken: set[int],
    ) -> tuple[int, list[tuple[str, float]]] | None:
        """The first place in ``window`` where ``unit`` stands on tokens not ``taken`` yet."""
        for position in window:
            if position in taken:
                continue
            token = tokens[position]
            quality = candidates[position].get(unit[0]) or self._in_context(token, unit[0])
            if not quality:
                continue
            found = self._rest_of_phrase(tokens, candidates, position, unit, quality)
            if found is None:
                continue
            covered = range(position, found[0])
            if found[0] <= window.stop and not taken.intersection(covered):
                taken.update(covered)
                return found
        return None

    @staticmethod
    def _in_context(token: str, word: str) -> float:
        """One typo in a phrase word whose neighbours matched; never in its first letter."""
        if min(len(token), len(word)) < _MIN_CONTEXT_TYPO or token[0] != word[0]:
            return 0.0
        return _CONTEXT_TYPO_QUALITY if OSA.distance(token, word, score_cutoff=1) <= 1 else 0.0
