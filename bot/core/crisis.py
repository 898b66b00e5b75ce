"""Recognise acute danger: suicidal thoughts, violence happening now, a medical emergency.

A missed crisis costs more than any other mistake, yet "Gewalt" in "Beratung nach Gewalt" is no
emergency. So crisis phrases are specific ("mich umbringen", "he is hitting me"), they are
matched more strictly than topic words (fewer typos forgiven, longer stems), and words may stand
between a phrase's words ("ich will mich heute umbringen"), because people in distress do not
write in lexicon order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.lexicon import Hit, PhraseIndex, Policy

CRISIS_POLICY = Policy(edit_steps=(6, 11), min_stem=6, max_gap=1, suffixing=frozenset({"tr"}))
CRISIS_THRESHOLD = 0.7
"""Lowest match quality that counts: one typo in a seven-letter word still passes."""


def _language(lang: str | None) -> str | None:
    return lang


class CrisisDetector:
    """Finds crisis phrases in a tokenised message; built once, like the topic index."""

    def __init__(self, index: PhraseIndex[str | None]) -> None:
        self._index = index

    @classmethod
    def build(
        cls, entries: Iterable[tuple[str, str | None]], blockers: Iterable[str] = ()
    ) -> CrisisDetector:
        """``entries`` are (phrase, language) pairs; the language is None for catalogue names."""
        return cls(PhraseIndex(entries, CRISIS_POLICY, _language, blockers))

    @property
    def size(self) -> int:
        return self._index.size

    def detect(self, tokens: Sequence[str]) -> list[Hit[str | None]]:
        """The crisis phrases found, best first; empty when there is no sign of danger."""
        hits = [hit for hit in self._index.find(tokens) if hit.quality >= CRISIS_THRESHOLD]
        return sorted(hits, key=lambda hit: hit.quality, reverse=True)
