"""``make train``: embed the training split and fit the classifier, written to ``model.npz``.

Deterministic: the same corpus and model give the same weights, and the file records a hash of
the data, so ``tests/router/test_semantic_model.py`` notices a corpus change nobody trained on.
"""

from __future__ import annotations

import sys
from collections import Counter

from bot.core.lexicon import CRISIS
from bot.core.normalise import clean
from bot.core.semantic import corpus
from bot.core.semantic.classifier import MODEL_FILE, OUT_OF_SCOPE, fit
from bot.core.semantic.embedder import MODEL_NAME, shared_embedder
from bot.core.semantic.screen import SCREEN_FILE, fit_screen
from bot.core.semantic.stage import semantic_form
from services_catalog.topics import TOPIC_SLUGS

LABELS: tuple[str, ...] = (*TOPIC_SLUGS, OUT_OF_SCOPE)


def main() -> None:
    examples = corpus.training(corpus.load())
    unknown = {example.label for example in examples} - set(LABELS)
    if unknown:
        sys.exit(f"unknown labels in the corpus: {', '.join(sorted(unknown))}")
    vectors = shared_embedder().embed([semantic_form(clean(example.text)) for example in examples])
    digest = corpus.data_hash(examples, MODEL_NAME)
    model = fit(vectors, [example.label for example in examples], LABELS, digest)
    model.save(MODEL_FILE)
    texts = [example.text for example in examples]
    danger = [example.label == CRISIS for example in examples]
    fit_screen(texts, danger, digest).save(SCREEN_FILE)
    counts = Counter(example.label for example in examples)
    print(f"trained on {len(examples)} messages → {MODEL_FILE.name}, {SCREEN_FILE.name}")
    for label in LABELS:
        print(f"  {label:<22} {counts[label]:>5}")


if __name__ == "__main__":
    main()
