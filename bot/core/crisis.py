"""Recognise acute danger: suicidal thoughts, violence happening now, a medical emergency.

A missed crisis costs more than any other mistake, yet "Gewalt" in "Beratung nach Gewalt" is no
emergency. So crisis phrases are specific ("mich umbringen", "he is hitting me") and they are
matched more strictly than topic words (fewer typos forgiven, longer stems).

People in distress do not write in lexicon order, and most launch languages order words freely:
"chcę się zabić" holds "zabić się", "жить не хочу" is "не хочу жить", "mich schlägt mein Mann" is
"mein Mann schlägt mich". So a phrase's words may come in any order, with a word between them
("ich will mich heute umbringen"), as long as they stay as close together as in the phrase. Only
a negation keeps its place in front of its word: "Хочу жить в Германии, не в общежитии" is no
"не хочу жить". This is safe for crisis phrases because they are specific already; one listed
word order covers the others, so the lexicon need not spell out every permutation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.phrases import Hit, PhraseIndex, Policy

CRISIS_POLICY = Policy(
    edit_steps=(6, 11), min_stem=6, max_gap=1, suffixing=frozenset({"tr"}), any_order=True
)
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
        cls,
        entries: Iterable[tuple[str, str | None]],
        blockers: Iterable[str] = (),
        negations: Iterable[str] = (),
    ) -> CrisisDetector:
        """``entries`` are (phrase, language) pairs; the language is None for catalogue names.

        ``negations`` stay in front of the word they negate when a phrase's words move.
        """
        return cls(PhraseIndex(entries, CRISIS_POLICY, _language, blockers, negations=negations))

    @property
    def size(self) -> int:
        return self._index.size

    def detect(self, tokens: Sequence[str]) -> list[Hit[str | None]]:
        """The crisis phrases found, best first; empty when there is no sign of danger."""
        hits = [hit for hit in self._index.find(tokens) if hit.quality >= CRISIS_THRESHOLD]
        return sorted(hits, key=lambda hit: hit.quality, reverse=True)
