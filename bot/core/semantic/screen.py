"""A sub-millisecond danger screen: which confidently routed messages still need a second look.

The lexicon names the topic of most messages at once, and embedding every one of them would
cost tens of milliseconds each. But danger told as a story often contains a topic word ("I
saved up pills" is not a question about medicine). Character n-grams of the normalised text,
hashed into a fixed number of features, feed a logistic regression trained on the same corpus
for crisis or not; messages it finds even faintly alarming go to the semantic stage.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.normalise import normalise

SCREEN_FILE = Path(__file__).with_name("screen.npz")
FEATURES = 1 << 13
NGRAMS = (3, 4)


def features(text: str) -> np.ndarray:
    """Hashed character 3- and 4-grams of the normalised words, L2-normalised."""
    vector = np.zeros(FEATURES, dtype=np.float32)
    for word in normalise(text).split():
        padded = f"#{word}#"
        for size in NGRAMS:
            for start in range(max(1, len(padded) - size + 1)):
                gram = padded[start : start + size]
                vector[zlib.crc32(gram.encode("utf-8")) % FEATURES] = 1.0
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


@dataclass(frozen=True)
class DangerScreen:
    weights: np.ndarray
    bias: float
    data_hash: str

    def probability(self, text: str) -> float:
        """How likely the message signals danger, from its spelling alone."""
        logit = float(features(text) @ self.weights) + self.bias
        return float(1.0 / (1.0 + np.exp(-logit)))

    def save(self, path: Path = SCREEN_FILE) -> None:
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=np.array(self.bias, dtype=np.float32),
            data_hash=np.array(self.data_hash),
        )

    @classmethod
    def load(cls, path: Path = SCREEN_FILE) -> DangerScreen:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                data["weights"].astype(np.float32), float(data["bias"]), str(data["data_hash"])
            )


def fit_screen(
    texts: list[str], danger: list[bool], data_hash: str, *, steps: int = 400, rate: float = 4.0
) -> DangerScreen:
    """Class-balanced logistic regression by full-batch gradient descent from zero."""
    x = np.vstack([features(text) for text in texts]).astype(np.float64)
    y = np.array(danger, dtype=np.float64)
    positives = max(y.sum(), 1.0)
    negatives = max(len(y) - y.sum(), 1.0)
    weight = np.where(y == 1.0, 0.5 / positives, 0.5 / negatives)
    w = np.zeros(FEATURES)
    b = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        error = (p - y) * weight
        w -= rate * (x.T @ error + 1e-4 * w)
        b -= rate * error.sum()
    return DangerScreen(w.astype(np.float32), float(b), data_hash)
