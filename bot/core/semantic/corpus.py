"""The labelled messages the semantic stage learns from and is measured on.

Every ``labelled_<lang>.yaml`` in ``corpus/`` and ``tests/router/`` counts, in any language, in
the format of ``tests/router/README`` (``text`` plus ``topic``, or ``ambiguous``; ``topic: null``
is small talk). Each message belongs to the held-out evaluation split or to training by a hash
of its normalised text: deterministic, independent of file order, and a message added later
never moves an old one across. Training never sees the evaluation split.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.normalise import normalise
from bot.core.semantic.classifier import OUT_OF_SCOPE

ROOT = Path(__file__).resolve().parents[3]
CORPUS_DIRS = (ROOT / "corpus", ROOT / "tests" / "router")
HELD_OUT_BUCKETS = 5
"""One message in five is held out for evaluation."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    lang: str
    source: str

    @property
    def held_out(self) -> bool:
        digest = hashlib.sha256(normalise(self.text).encode("utf-8")).digest()
        return digest[0] % HELD_OUT_BUCKETS == 0


def corpus_files(dirs: Iterable[Path] = CORPUS_DIRS) -> list[Path]:
    return sorted(path for folder in dirs for path in folder.glob("labelled_*.yaml"))


def load(dirs: Iterable[Path] = CORPUS_DIRS) -> list[Example]:
    """Every labelled message once; an ambiguous one counts for the first topic it names."""
    examples: list[Example] = []
    seen: set[str] = set()
    for path in corpus_files(dirs):
        lang = path.stem.removeprefix("labelled_")
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError(f"{path.name}: item {number}: needs a text")
            if "ambiguous" in item:
                label = item["ambiguous"][0]
            else:
                label = item.get("topic") or OUT_OF_SCOPE
            key = normalise(item["text"])
            if key in seen:
                continue
            seen.add(key)
            examples.append(Example(item["text"], label, lang, path.parent.name))
    return examples


def training(examples: Iterable[Example]) -> list[Example]:
    return [example for example in examples if not example.held_out]


def evaluation(examples: Iterable[Example]) -> list[Example]:
    return [example for example in examples if example.held_out]


def data_hash(examples: Iterable[Example], model_name: str) -> str:
    """What a trained model depends on: the model it embeds with and every training message."""
    rows = sorted((example.text, example.label) for example in examples)
    payload = json.dumps([model_name, rows], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
