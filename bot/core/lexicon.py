"""The keyword lexicons: data in ``locales/keywords/<lang>.yaml``, loaded and checked here.

Words live in YAML so that the people who hear how newcomers really write (Integrationslotsen,
counsellors) can add them without touching code. The file format is described in
``locales/keywords/README.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar, NamedTuple

import yaml

from services_catalog.languages import LANGUAGES, LAUNCH_LANGUAGES, understood_as
from services_catalog.topics import TOPIC_SLUGS

log = logging.getLogger(__name__)

CRISIS = "crisis"
ROUTED_TOPICS: tuple[str, ...] = tuple(topic for topic in TOPIC_SLUGS if topic != CRISIS)
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
    """One language's words. ``topics`` covers every routed topic, ``crisis`` the crisis topic.

    ``negations`` are the words that negate the word after them ("nie", "не"): in a crisis
    phrase they keep their place while the other words may move.
    """

    lang: str
    topics: Mapping[str, tuple[str, ...]]
    crisis: tuple[str, ...]
    function_words: frozenset[str]
    not_topic: tuple[str, ...]
    negations: frozenset[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every understood language's words, by language code."""

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

    def negations(self) -> frozenset[str]:
        """Every language's negation words, for phrases whose other words may move."""
        return frozenset().union(*(lexicon.negations for lexicon in self.languages.values()))


def _phrases(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise LexiconError(f"{where}: expected a non-empty list of phrases")
    for position, phrase in enumerate(value):
        if not isinstance(phrase, str) or not phrase.strip():
            raise LexiconError(f"{where}[{position}]: expected a phrase, got {phrase!r}")
    return tuple(value)


def _negations(value: object, where: str) -> frozenset[str]:
    """Single words; the list may be empty where negation is part of the verb (Turkish -me-)."""
    if not isinstance(value, list):
        raise LexiconError(f"{where}: expected a list of words (empty if there are none)")
    for position, word in enumerate(value):
        if not isinstance(word, str) or len(word.split()) != 1:
            raise LexiconError(f"{where}[{position}]: expected one word, got {word!r}")
    return frozenset(value)


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
    unknown_keys = set(data) - {"function_words", "not_topic", "topics", "crisis", "negations"}
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
        negations=_negations(data.get("negations"), f"{name}: negations"),
    )


def load_lexicon(locales_dir: Path | None = None) -> Lexicon:
    """Every interface language's keyword file from ``locales_dir`` (default
    ``locales/keywords``).

    Languages understood through another one's words (Einfache Sprache through German) have no
    file. A launch language's file must be there; a later language without a file yet is left
    out (with a warning), so that its users are still understood through the other languages.
    """
    directory = locales_dir or DEFAULT_DIR
    languages = {}
    for lang in LANGUAGES:
        path = directory / f"{lang}.yaml"
        if understood_as(lang) != lang:
            continue
        if lang not in LAUNCH_LANGUAGES and not path.exists():
            log.warning(
                "no keyword file %s yet; %s is understood through other languages", path.name, lang
            )
            continue
        languages[lang] = load_language(path, lang)
    return Lexicon(languages=MappingProxyType(languages))
