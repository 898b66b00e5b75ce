"""The corpus the semantic stage learns from, and the committed model trained from it."""

from __future__ import annotations

from collections import Counter

import numpy as np

from bot.core.lexicon import CRISIS, ROUTED_TOPICS, load_lexicon
from bot.core.normalise import normalise
from bot.core.semantic import corpus
from bot.core.semantic.classifier import OUT_OF_SCOPE, Classifier, fit
from bot.core.semantic.embedder import MODEL_NAME
from bot.core.semantic.screen import DangerScreen
from bot.settings import LAUNCH_LANGUAGES

MIN_MESSAGES = 2_000
MIN_DANGER = 300
MIN_UNRELATED = 300


def test_the_committed_model_was_trained_on_the_current_corpus() -> None:
    """Fails after a corpus change until ``make train`` has been run and its output committed."""
    expected = corpus.data_hash(corpus.training(corpus.load()), MODEL_NAME)
    assert Classifier.load().data_hash == expected, "run `make train`"
    assert DangerScreen.load().data_hash == expected, "run `make train`"


def test_the_corpus_is_large_and_covers_every_language_and_topic() -> None:
    examples = corpus.load()
    labels = Counter(example.label for example in examples)
    assert len(examples) >= MIN_MESSAGES
    assert labels[CRISIS] >= MIN_DANGER
    assert labels[OUT_OF_SCOPE] >= MIN_UNRELATED
    for lang in LAUNCH_LANGUAGES:
        found = {example.label for example in examples if example.lang == lang}
        assert found >= {*ROUTED_TOPICS, CRISIS, OUT_OF_SCOPE}, lang


def test_every_language_has_held_out_messages_training_never_sees() -> None:
    examples = corpus.load()
    held_out = corpus.evaluation(examples)
    trained = {normalise(example.text) for example in corpus.training(examples)}
    assert not trained & {normalise(example.text) for example in held_out}
    assert {example.lang for example in held_out} >= set(LAUNCH_LANGUAGES)
    assert 0.1 < len(held_out) / len(examples) < 0.3


def test_held_out_messages_are_not_lexicon_phrases() -> None:
    lexicon = load_lexicon()
    phrases = {normalise(phrase) for phrase, _ in lexicon.topic_entries()}
    phrases |= {normalise(phrase) for phrase, _ in lexicon.crisis_entries()}
    copied = [e.text for e in corpus.evaluation(corpus.load()) if normalise(e.text) in phrases]
    assert copied == []


def test_training_is_deterministic() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(60, 16)).astype(np.float32)
    targets = ["a", "b", "c"] * 20
    first = fit(vectors, targets, ("a", "b", "c"), "hash", steps=50)
    second = fit(vectors, targets, ("a", "b", "c"), "hash", steps=50)
    assert np.array_equal(first.weights, second.weights)
    assert np.array_equal(first.bias, second.bias)
