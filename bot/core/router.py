"""Free text in any launch language → a topic, or an honest "not sure".

The dialogue acts on the result: a topic shows services, an ambiguous result asks which of two
topics is meant, no topic shows the menu, and a crisis shows emergency numbers before anything
else. A wrong topic would send someone to the wrong office, so the router prefers "not sure".

Routing works on normalised tokens: crisis phrases first, then topic phrases from the keyword
lexicons and the catalogue's service names, found exactly, with typos, or inside longer words.
Overlapping finds are resolved longest and best first, and each topic's finds are combined.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from bot.core.crisis import CrisisDetector
from bot.core.lexicon import CRISIS, Lexicon, Sense, load_lexicon
from bot.core.normalise import MAX_CHARS, clean, fold, normalise
from bot.core.phrases import Hit, PhraseIndex, Policy
from services_catalog.languages import understood_as
from services_catalog.topics import TOPIC_SLUGS

if TYPE_CHECKING:
    from bot.core.semantic.stage import SemanticStage

log = logging.getLogger(__name__)

LEXICON = "lexicon"
SEMANTIC = "semantic"

TOPIC_POLICY = Policy(edit_steps=(5, 8, 13), min_stem=4, max_gap=1, suffixing=frozenset({"tr"}))
TOPIC_THRESHOLD = 0.62
"""Lowest combined score that names a topic; below it the dialogue shows the menu. One typo in
a five-letter word ("leave" for "lease") is not enough on its own."""
AMBIGUITY_RATIO = 0.8
"""A runner-up this close to the best topic makes the dialogue ask which one is meant."""
MEANS_TOPICS = frozenset({"interpreter", "recognition"})
"""Requests that name the field they are for: an interpreter *for the doctor*, recognition *as a
nurse*. The field is context there, not a second request."""
CONTEXT_DAMPING = 0.6
ALTERNATIVE_THRESHOLD = 0.5
SAME_SPAN_MARGIN = 0.1
MAX_ALTERNATIVES = 3
LANGUAGE_THRESHOLD = 0.5
_GERMAN_HIT_WEIGHT = 0.5
_HINT_VOTE = 0.3
_SMALL_TALK_VOTE = 0.5
_LANGUAGE_TIE = 0.05


@dataclass(frozen=True)
class Match:
    """A topic and how sure the router is of it, from 0 to 1."""

    topic: str
    confidence: float


@dataclass(frozen=True)
class RouteResult:
    """What a message is about.

    ``topic`` is None when the router is not sure; ``alternatives`` ranks the topics found,
    the chosen one first. ``ambiguous`` means the first two alternatives are too close to pick
    one. ``lang`` is the language the message is written in, as far as it tells. ``stage`` says
    which stage decided (``lexicon`` or ``semantic``), ``score`` how sure the semantic stage was
    of that decision, when it was asked.
    """

    topic: str | None
    confidence: float
    lang: str | None
    alternatives: tuple[Match, ...]
    crisis: bool
    ambiguous: bool
    stage: str = LEXICON
    score: float | None = None


_NOT_SURE = RouteResult(None, 0.0, None, (), crisis=False, ambiguous=False)


def _letter_votes() -> dict[str, tuple[tuple[str, float], ...]]:
    """Letters that only some launch languages use, with how much each one says."""
    votes: dict[str, tuple[tuple[str, float], ...]] = {}
    for letters, vote in (
        ("پچژگکی", (("fa", 0.6),)),
        ("ةيكىأإؤئ", (("ar", 0.3),)),
        ("ټډړږښځڅګڼۍې", (("ps", 0.9),)),
        ("ڕڵۆێەڤ", (("ckb", 0.9),)),
        ("éèàùâôœ", (("fr", 0.6),)),
        ("êîû", (("fr", 0.3), ("kmr", 0.3))),
        ("іїєґ", (("uk", 0.6),)),
        ("ыэъё", (("ru", 0.6),)),
        ("şğı", (("tr", 0.6),)),
        ("ç", (("tr", 0.4),)),
        ("ąćęłńśźż", (("pl", 0.6),)),
        ("ó", (("pl", 0.3),)),
        ("äß", (("de", 0.6),)),
        ("öü", (("de", 0.3), ("tr", 0.3))),
    ):
        for letter in letters:
            votes[letter] = vote
    return votes


_LETTER_VOTES = _letter_votes()
_MAX_LETTER_VOTE = 2.0
_SCRIPT_VOTE = 1.5
_SCRIPT_LANGUAGES = {
    "arabic": ("ar", "fa", "ps", "ckb"),
    "cyrillic": ("ru", "uk"),
    "ethiopic": ("ti",),
}
_MIN_SCRIPT_LETTERS = 3
_TELLING_LETTERS = {
    "arabic": ("ar", frozenset("پچژگکیټډړږښځڅګڼۍېڕڵۆێەڤ")),
    "cyrillic": ("ru", frozenset("іїєґ")),
}
"""Ukrainian text has і, ї or є in almost every sentence; Persian, Pashto and Sorani text have
letters Arabic lacks (پ, گ, ی; ښ, ې; ە, ێ): a longer text without any of them is Russian or
Arabic."""
_EXCLUSIVE_LETTERS = {"ps": frozenset("ټډړږښځڅګڼۍې"), "ckb": frozenset("ڕڵۆێە")}
"""Letters no Arabic or Persian keyboard has: two of them tell Pashto or Sorani text, which also
has all the Persian letters, beyond what the letters' own votes (capped) can."""
_EXCLUSIVE_VOTE = 1.0
_MIN_EXCLUSIVE = 2
_MIN_TELLING_TEXT = 25
_ABSENCE_VOTE = 0.3


def _script_votes(cleaned: str) -> tuple[dict[str, float], tuple[str, ...] | None]:
    """Votes from the alphabet, and the languages its script allows, if it is not Latin.

    Someone who types Arabic, Cyrillic or Ethiopic letters writes in Arabic, Persian, Pashto,
    Sorani, Russian, Ukrainian or Tigrinya; German or English words in the same message are
    borrowed ("Мне нужен Termin").
    """
    votes: dict[str, float] = defaultdict(float)
    counts = {"arabic": 0, "cyrillic": 0, "ethiopic": 0}
    for char in cleaned[:MAX_CHARS]:
        if "\u0600" <= char <= "\u06ff":
            counts["arabic"] += 1
        elif "\u0400" <= char <= "\u04ff":
            counts["cyrillic"] += 1
        elif "\u1200" <= char <= "\u139f":
            counts["ethiopic"] += 1
        for lang, vote in _LETTER_VOTES.get(char, ()):
            votes[lang] = min(_MAX_LETTER_VOTE, votes[lang] + vote)
    script = max(counts, key=lambda name: counts[name])
    if counts[script] < _MIN_SCRIPT_LETTERS:
        return votes, None
    languages = _SCRIPT_LANGUAGES[script]
    for lang in languages:
        votes[lang] += _SCRIPT_VOTE
    if script == "arabic":
        for lang, letters in _EXCLUSIVE_LETTERS.items():
            if sum(char in letters for char in cleaned[:MAX_CHARS]) >= _MIN_EXCLUSIVE:
                votes[lang] += _EXCLUSIVE_VOTE
    if script in _TELLING_LETTERS:
        plain_lang, telling = _TELLING_LETTERS[script]
        if counts[script] >= _MIN_TELLING_TEXT and not telling.intersection(cleaned[:MAX_CHARS]):
            votes[plain_lang] += _ABSENCE_VOTE
    return votes, languages


class Router:
    """Routes messages with an index built once per lexicon or catalogue change.

    Immutable after construction, so one instance can serve every conversation and a rebuilt
    one can replace it atomically when the catalogue changes. Build it with ``build`` or
    ``from_locales``.
    """

    __slots__ = ("_crisis", "_language_words", "_languages", "_semantic", "_topics")

    def __init__(
        self,
        topics: PhraseIndex[Sense],
        crisis: CrisisDetector,
        language_words: Mapping[str, Mapping[str, float]],
        languages: frozenset[str],
        semantic: SemanticStage | None = None,
    ) -> None:
        self._topics = topics
        self._crisis = crisis
        self._language_words = language_words
        self._languages = languages
        self._semantic = semantic

    @classmethod
    def build(
        cls,
        lexicon: Lexicon,
        extra: Iterable[tuple[str, str]] = (),
        semantic: SemanticStage | None = None,
    ) -> Router:
        """Index the lexicon plus ``extra`` (topic, phrase) pairs such as service names.

        With ``semantic``, messages the lexicon is unsure of are also read for their meaning.

        Catalogue entries carry no language; a catalogue entry under the crisis topic is matched
        as strictly as the lexicon's crisis phrases. A one-word catalogue entry that is a function
        word or small talk in some language is left out: the catalogue passes only abbreviations
        a title defines, but a genuine one may be spelled like a word ("Deutsches Institut für
        Erwachsenenbildung (DIE)"), and after case folding it would claim every "die".
        """
        language_words = _language_words(lexicon)
        blockers = language_words.keys()
        topic_entries = list(lexicon.topic_entries())
        crisis_entries: list[tuple[str, str | None]] = list(lexicon.crisis_entries())
        for topic, phrase in extra:
            if topic not in TOPIC_SLUGS:
                raise ValueError(f"unknown topic {topic!r} for catalogue entry {phrase!r}")
            if normalise(phrase) in blockers:
                log.debug("catalogue entry %r is a common word; not used for routing", phrase)
            elif topic == CRISIS:
                crisis_entries.append((phrase, None))
            else:
                topic_entries.append((phrase, Sense(topic, None)))
        topics = PhraseIndex(topic_entries, TOPIC_POLICY, _sense_language, blockers)
        # Topic words are real words, never typos of a crisis word: German "Gewalt" in
        # "Beratung nach Gewalt" is not Polish "gwałt".
        crisis = CrisisDetector.build(crisis_entries, blockers | topics.words, lexicon.negations())
        router = cls(topics, crisis, language_words, frozenset(lexicon.languages), semantic)
        log.info(
            "router index built: %d topic phrases, %d crisis phrases",
            router._topics.size,
            router._crisis.size,
        )
        return router

    @classmethod
    def from_locales(
        cls,
        locales_dir: Path | None = None,
        extra: Iterable[tuple[str, str]] = (),
        semantic: SemanticStage | None = None,
    ) -> Router:
        """A router over the keyword files in ``locales_dir`` (default ``locales/keywords``)."""
        return cls.build(load_lexicon(locales_dir), extra, semantic)

    def route(self, text: str, lang_hint: str | None = None) -> RouteResult:
        """The topic of ``text``; ``lang_hint`` (the user's known language) breaks ties.

        With a semantic stage this may embed the message (some milliseconds of CPU): call it
        from a worker thread in async code.
        """
        lexical = self.route_lexically(text, lang_hint)
        if self._semantic is None or lexical is _NOT_SURE:
            return lexical
        return self._semantic.refine(lexical, clean(text))

    def route_lexically(self, text: str, lang_hint: str | None = None) -> RouteResult:
        """The lexicon's verdict alone: sub-millisecond and explainable phrase by phrase."""
        cleaned = clean(text)
        tokens = fold(cleaned).split()
        if not tokens:
            return _NOT_SURE
        crisis_hits = self._crisis.detect(tokens)
        topic_hits = _select(self._topics.find(tokens))
        lang = self._detect_language(cleaned, tokens, topic_hits, crisis_hits, lang_hint)
        ranked = _rank(topic_hits)
        if crisis_hits:
            # Crisis first; what else was asked stays visible for after the emergency numbers.
            crisis = Match(CRISIS, round(crisis_hits[0].quality, 3))
            alternatives = (crisis, *ranked[: MAX_ALTERNATIVES - 1])
            return RouteResult(
                CRISIS, crisis.confidence, lang, alternatives, crisis=True, ambiguous=False
            )
        if not ranked or ranked[0].confidence < TOPIC_THRESHOLD:
            return RouteResult(None, 0.0, lang, ranked, crisis=False, ambiguous=False)
        best = ranked[0]
        ambiguous = len(ranked) > 1 and ranked[1].confidence >= max(
            ALTERNATIVE_THRESHOLD, AMBIGUITY_RATIO * best.confidence
        )
        return RouteResult(
            best.topic, best.confidence, lang, ranked, crisis=False, ambiguous=ambiguous
        )

    def crisis(self, text: str) -> RouteResult | None:
        """Only the crisis stage, for running first and on its own; None without danger."""
        cleaned = clean(text)
        tokens = fold(cleaned).split()
        hits = self._crisis.detect(tokens) if tokens else []
        if not hits:
            return None
        lang = self._detect_language(cleaned, tokens, (), hits, None)
        found = Match(CRISIS, round(hits[0].quality, 3))
        return RouteResult(CRISIS, found.confidence, lang, (found,), crisis=True, ambiguous=False)

    def _detect_language(
        self,
        cleaned: str,
        tokens: Sequence[str],
        topic_hits: Sequence[Hit[Sense]],
        crisis_hits: Sequence[Hit[str | None]],
        hint: str | None,
    ) -> str | None:
        """Alphabet, function words and which language's phrases matched, weighed together."""
        votes, allowed = _script_votes(cleaned)
        for token in tokens:
            for lang, vote in self._language_words.get(token, {}).items():
                votes[lang] += vote
        found = [(hit.quality, {sense.lang for sense in hit.payloads}) for hit in topic_hits]
        found += [(hit.quality, set(hit.payloads)) for hit in crisis_hits]
        for quality, langs in found:
            langs.discard(None)
            for lang in langs:
                # German office words turn up in every language's messages.
                weight = _GERMAN_HIT_WEIGHT if lang == "de" else 1.0
                votes[lang] += weight * quality / len(langs)
        hint = understood_as(hint) if hint else None
        hint = hint if hint in self._languages else None
        if hint:
            votes[hint] += _HINT_VOTE
        candidates = [lang for lang in allowed or votes if votes[lang] >= LANGUAGE_THRESHOLD]
        if not candidates:
            return hint
        best = max(votes[lang] for lang in candidates)
        leaders = [lang for lang in candidates if votes[lang] > best - _LANGUAGE_TIE]
        if len(leaders) == 1:
            return leaders[0]
        return hint if hint in leaders else None  # "سلام" is Arabic and Persian alike


def _sense_language(sense: Sense) -> str | None:
    return sense.lang


def _language_words(lexicon: Lexicon) -> Mapping[str, Mapping[str, float]]:
    """Normalised function and small-talk words → the languages they vote for, and how much.

    A word shared by several languages ("na", "to") splits its vote between them.
    """
    words: dict[str, dict[str, float]] = defaultdict(dict)
    for lang, language in lexicon.languages.items():
        for word in language.function_words:
            for token in normalise(word).split():
                words[token][lang] = 1.0
        for phrase in language.not_topic:
            for token in normalise(phrase).split():
                words[token].setdefault(lang, _SMALL_TALK_VOTE)
    return MappingProxyType(
        {
            token: MappingProxyType({lang: vote / len(langs) for lang, vote in langs.items()})
            for token, langs in words.items()
        }
    )


def _strength(hit: Hit[Sense]) -> float:
    """How much a find says: its match quality times its strongest sense's weight."""
    return hit.quality * max(sense.weight for sense in hit.payloads)


def _select(hits: list[Hit[Sense]]) -> list[Hit[Sense]]:
    """Keep the strongest finds that do not overlap; longer phrases win over their parts.

    Equally good finds of exactly the same tokens are kept together: one word may mean two
    topics ("Frauenarzt"), but an exact find beats a typo reading of the same word.
    """
    ordered = sorted(
        hits,
        key=lambda hit: (
            _strength(hit) * (1 + 0.1 * (hit.end - hit.start - 1)),
            hit.end - hit.start,
        ),
        reverse=True,
    )
    taken: set[int] = set()
    best_of_span: dict[tuple[int, int], float] = {}
    chosen: list[Hit[Sense]] = []
    for hit in ordered:
        span = (hit.start, hit.end)
        if span in best_of_span:
            keep = _strength(hit) > best_of_span[span] - SAME_SPAN_MARGIN
        else:
            keep = not taken.intersection(range(hit.start, hit.end))
        # A phrase that lost to an overlapping one still claims its words from weaker finds:
        # in "Termin beim Frauenarzt", "Frauen" alone must not count.
        taken.update(range(hit.start, hit.end))
        if keep:
            best_of_span.setdefault(span, _strength(hit))
            chosen.append(hit)
    return chosen


def _rank(hits: Sequence[Hit[Sense]]) -> tuple[Match, ...]:
    """Topics by combined score: each find is independent evidence (noisy-or)."""
    best_per_span: dict[tuple[str, int, int], float] = {}
    first_seen: dict[str, int] = {}
    for hit in hits:
        for sense in hit.payloads:
            if sense.topic is not None:
                first_seen[sense.topic] = min(first_seen.get(sense.topic, hit.start), hit.start)
                key = (sense.topic, hit.start, hit.end)
                best_per_span[key] = max(best_per_span.get(key, 0.0), hit.quality * sense.weight)
    doubt: dict[str, float] = defaultdict(lambda: 1.0)
    for (topic, _, _), quality in best_per_span.items():
        doubt[topic] *= 1.0 - quality
    scores = {topic: 1.0 - value for topic, value in doubt.items()}
    if any(scores.get(topic, 0.0) >= TOPIC_THRESHOLD for topic in MEANS_TOPICS):
        for topic in scores.keys() - MEANS_TOPICS:
            scores[topic] *= CONTEXT_DAMPING
    # Equal scores: the topic named first leads ("Wohnung und Arbeit" asks housing first).
    ranked = sorted(scores, key=lambda topic: (-scores[topic], first_seen[topic]))
    return tuple(Match(topic, round(scores[topic], 3)) for topic in ranked[:MAX_ALTERNATIVES])
