"""A linear classifier over sentence embeddings: the topics, crisis, and ``out_of_scope``.

Softmax regression in numpy: small enough to commit (a few kilobytes), fast to apply (one
matrix product), and trained deterministically, so the same data always gives the same file.
The file records a hash of the data it was trained from; a test compares it with the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).with_name("model.npz")
OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Classifier:
    """Centred embeddings times ``weights`` plus ``bias`` → one score per label."""

    labels: tuple[str, ...]
    mean: np.ndarray
    weights: np.ndarray
    bias: np.ndarray
    data_hash: str

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """One row of label probabilities per embedding row."""
        logits = (vectors - self.mean) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path = MODEL_FILE) -> None:
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            mean=self.mean.astype(np.float16),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            data_hash=np.array(self.data_hash),
        )

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Classifier:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                labels=tuple(str(label) for label in data["labels"]),
                mean=data["mean"].astype(np.float32),
                weights=data["weights"].astype(np.float32),
                bias=data["bias"].astype(np.float32),
                data_hash=str(data["data_hash"]),
            )


def fit(
    vectors: np.ndarray,
    targets: list[str],
    labels: tuple[str, ...],
    data_hash: str,
    *,
    steps: int = 600,
    learning_rate: float = 2.0,
    l2: float = 1e-4,
) -> Classifier:
    """Full-batch gradient descent from zero weights: no randomness, the same file every time.

    Each label weighs by the inverse of its frequency, so the rarer crisis messages count as
    much as the many topic messages.
    """
    index = {label: number for number, label in enumerate(labels)}
    y = np.array([index[target] for target in targets])
    mean = vectors.mean(axis=0)
    x = (vectors - mean).astype(np.float64)
    scale = 1.0 / x.std()
    x *= scale
    counts = np.bincount(y, minlength=len(labels)).astype(np.float64)
    sample_weight = (len(y) / (len(labels) * np.maximum(counts, 1)))[y]
    sample_weight /= sample_weight.sum()
    one_hot = np.eye(len(labels))[y]
    weights = np.zeros((x.shape[1], len(labels)))
    bias = np.zeros(len(labels))
    for _ in range(steps):
        logits = x @ weights + bias
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        error = (prob - one_hot) * sample_weight[:, None]
        weights -= learning_rate * (x.T @ error + l2 * weights)
        bias -= learning_rate * error.sum(axis=0)
    return Classifier(labels, mean.astype(np.float32), (weights * scale), bias, data_hash)
