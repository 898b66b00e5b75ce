"""When the semantic stage is asked, and how its answer joins the lexicon router's.

The lexicon decides first: it is fast, explainable, and in charge of explicit crisis phrases.
Meaning is consulted only when the lexicon finds no topic, cannot choose between two, or is
unsure of the one it found; so most messages never wait for an embedding. Danger from the
semantic stage wins like the lexicon's, but it can fire on a harmless message, so the topic or
the menu still follows the emergency numbers (``RouteResult.stage`` tells the dialogue).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from functools import cache

from bot.core.lexicon import CRISIS
from bot.core.router import LEXICON, SEMANTIC, Match, RouteResult
from bot.core.semantic.classifier import MODEL_FILE, OUT_OF_SCOPE, Classifier
from bot.core.semantic.embedder import Embedder, shared_embedder
from bot.core.semantic.screen import SCREEN_FILE, DangerScreen

log = logging.getLogger(__name__)

LEXICON_SURE = 0.8
"""A lexicon topic at least this sure is taken without asking the semantic stage."""
DANGER_THRESHOLD = 0.5
"""Probability of crisis from which the emergency numbers are shown."""
TOPIC_THRESHOLD = 0.55
"""Probability from which the semantic stage names a topic the lexicon did not find."""
SCREEN_THRESHOLD = 0.4
"""Danger screen probability from which a confidently routed message is still read for meaning:
low, because a missed danger costs far more than an embedding."""
CHOICE_RATIO = 2.0
"""Between the lexicon's two close topics, the semantic stage picks one this much likelier."""


_CHARACTER_RUN = re.compile(r"(.)\1{2,}")
_WORD_RUN = re.compile(r"\b(\w+)(?:\s+\1\b)+")


def without_repetition(text: str) -> str:
    """Runs of one character or one word shortened: "hilfeeeee", "x" * 10 000 and "a a a a"
    add no meaning, yet they pull an embedding to places no training message ever was."""
    return _WORD_RUN.sub(r"\1", _CHARACTER_RUN.sub(r"\1\1", text))


def semantic_form(cleaned: str) -> str:
    """What is embedded, in training and in use alike."""
    return without_repetition(cleaned)


@dataclass(frozen=True)
class Prediction:
    """The semantic stage's reading of a message: every label with its probability, best first."""

    ranked: tuple[Match, ...]

    @property
    def best(self) -> Match:
        return self.ranked[0]

    def probability(self, label: str) -> float:
        return next((match.confidence for match in self.ranked if match.topic == label), 0.0)


class SemanticStage:
    """Embeds a message and classifies it; shared by every router of the process."""

    def __init__(self, embedder: Embedder, classifier: Classifier, screen: DangerScreen) -> None:
        self._embedder = embedder
        self._classifier = classifier
        self._screen = screen

    def warm_up(self) -> None:
        self._embedder.warm_up()

    def predict(self, text: str) -> Prediction:
        """What ``text`` (as ``normalise.clean`` leaves it) is about, by meaning."""
        readable = semantic_form(text)
        probabilities = self._classifier.probabilities(self._embedder.embed([readable]))[0]
        order = probabilities.argsort()[::-1]
        labels = self._classifier.labels
        return Prediction(tuple(Match(labels[i], round(float(probabilities[i]), 3)) for i in order))

    def refine(self, lexical: RouteResult, text: str) -> RouteResult:
        """The lexicon's result, corrected or completed by meaning where the lexicon is unsure."""
        sure = (
            lexical.topic is not None
            and not lexical.ambiguous
            and lexical.confidence >= LEXICON_SURE
        )
        if lexical.crisis or (sure and self._screen.probability(text) < SCREEN_THRESHOLD):
            return lexical
        try:
            prediction = self.predict(text)
        except (OSError, RuntimeError, ImportError):
            # Without the model the lexicon's answer still stands; the bot must keep answering.
            log.exception("semantic stage unavailable; the lexicon decides alone")
            return lexical
        danger = prediction.probability(CRISIS)
        decided = _choose(lexical, prediction)
        if danger >= DANGER_THRESHOLD:
            crisis = Match(CRISIS, danger)
            after = (decided,) if decided.topic is not None else ()
            return replace(
                decided,
                topic=CRISIS,
                confidence=danger,
                alternatives=(crisis, *(Match(m.topic, m.confidence) for m in after)),
                crisis=True,
                ambiguous=False,
                stage=SEMANTIC,
                score=danger,
            )
        return decided


def _choose(lexical: RouteResult, prediction: Prediction) -> RouteResult:
    """A topic from meaning when the lexicon has none, or one of its two close ones."""
    if lexical.ambiguous:
        if min(m.confidence for m in lexical.alternatives[:2]) >= LEXICON_SURE:
            return lexical  # two needs, both named clearly: the person asks for both
        first, second = (prediction.probability(m.topic) for m in lexical.alternatives[:2])
        if max(first, second) >= CHOICE_RATIO * min(first, second):
            chosen = lexical.alternatives[0 if first > second else 1]
            rest = tuple(m for m in lexical.alternatives if m != chosen)
            return replace(
                lexical,
                topic=chosen.topic,
                confidence=chosen.confidence,
                alternatives=(chosen, *rest),
                ambiguous=False,
                stage=SEMANTIC,
                score=max(first, second),
            )
        return replace(lexical, stage=LEXICON, score=max(first, second))
    if lexical.topic is not None:
        return replace(lexical, score=prediction.probability(lexical.topic))
    best = next(match for match in prediction.ranked if match.topic != CRISIS)
    if best.topic == OUT_OF_SCOPE or best.confidence < TOPIC_THRESHOLD:
        return replace(lexical, stage=SEMANTIC, score=prediction.probability(OUT_OF_SCOPE))
    return replace(
        lexical,
        topic=best.topic,
        confidence=best.confidence,
        alternatives=(best,),
        ambiguous=False,
        stage=SEMANTIC,
        score=best.confidence,
    )


@cache
def shared_stage() -> SemanticStage:
    """The process's semantic stage over the committed model; the model loads on first use."""
    return SemanticStage(
        shared_embedder(), Classifier.load(MODEL_FILE), DangerScreen.load(SCREEN_FILE)
    )
