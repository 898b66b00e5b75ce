"""Real words to throw at the bot: every lexicon word and every word of every translation."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parents[2] / "locales"


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for key, value in node.items() for text in _strings(key) + _strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in _strings(value)]
    return []


@cache
def lexicon_words() -> tuple[str, ...]:
    words: set[str] = set()
    for path in sorted((LOCALES / "keywords").glob("*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            words.update(text.split())
    return tuple(sorted(words))


@cache
def translation_words() -> tuple[str, ...]:
    words: set[str] = set()
    for path in sorted(LOCALES.glob("*/LC_MESSAGES/*.po")):
        with path.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            for text in (message.id, message.string):
                for part in text if isinstance(text, list | tuple) else [text]:
                    words.update((part or "").split())
    return tuple(sorted(words))
