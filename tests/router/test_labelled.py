"""Every labelled message routes to its label: real phrasing, typos, transliteration, mixtures.

The messages are written the way users write, never copied from the lexicon, so they test what
the lexicon and the matching do for text nobody anticipated word for word.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.lexicon import CRISIS, load_lexicon
from bot.core.normalise import normalise
from bot.core.router import Router
from tests.router.labelled import HERE, LANGUAGES, all_cases, labelled

MIN_TOPICAL = 40
MIN_CRISIS = 5


@pytest.mark.parametrize(("lang", "case"), all_cases())
def test_message_routes_to_its_label(router: Router, lang: str, case: dict[str, Any]) -> None:
    result = router.route(case["text"])
    found = [(match.topic, match.confidence) for match in result.alternatives]
    if "ambiguous" in case:
        assert result.ambiguous, found
        assert set(case["ambiguous"]) == {match.topic for match in result.alternatives[:2]}
    elif case["topic"] is None:
        assert (result.topic, result.crisis) == (None, False), found
    elif case["topic"] == CRISIS:
        assert (result.topic, result.crisis) == (CRISIS, True), found
    else:
        assert (result.topic, result.ambiguous, result.crisis) == (case["topic"], False, False), (
            found
        )


@pytest.mark.parametrize(("lang", "case"), all_cases(telling_language=True))
def test_message_language_is_detected(router: Router, lang: str, case: dict[str, Any]) -> None:
    assert router.route(case["text"]).lang == case.get("lang", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_enough_labelled_messages(lang: str) -> None:
    cases = labelled(lang)
    topical = [case for case in cases if case.get("topic") not in (None, CRISIS)]
    assert len(topical) >= MIN_TOPICAL
    assert len([case for case in cases if case.get("topic") == CRISIS]) >= MIN_CRISIS
    assert [case for case in cases if "topic" in case and case["topic"] is None]


def test_labelled_messages_are_not_lexicon_phrases() -> None:
    lexicon = load_lexicon()
    phrases = {normalise(phrase) for phrase, _ in lexicon.topic_entries()}
    phrases |= {normalise(phrase) for phrase, _ in lexicon.crisis_entries()}
    copied = [
        case["text"]
        for lang in LANGUAGES
        if (HERE / f"labelled_{lang}.yaml").is_file()
        for case in labelled(lang)
        if normalise(case["text"]) in phrases
    ]
    assert copied == []
