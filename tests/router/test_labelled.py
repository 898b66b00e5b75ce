"""Labelled messages route to their label: real phrasing, typos, transliteration, mixtures.

The messages are written the way users write, never copied from the lexicon, so they test what
the lexicon and the matching do for text nobody anticipated word for word. The launch languages'
sets have grown with the lexicons for a long time: every message must route. The languages added
later are measured as a whole, through both stages as the bot routes, against a floor, so that
their sets stay an honest measure rather than a list the lexicon is tuned to.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.lexicon import CRISIS, load_lexicon
from bot.core.normalise import normalise
from bot.core.router import Router, RouteResult
from bot.settings import LAUNCH_LANGUAGES
from tests.router.labelled import HERE, LANGUAGES, all_cases, labelled

MIN_TOPICAL = 40
MIN_CRISIS = 5
LATER_LANGUAGES = tuple(lang for lang in LANGUAGES if lang not in LAUNCH_LANGUAGES)
MIN_RIGHT = 0.85  # of a later language's messages, on the right topic (or rightly none)
MIN_DANGER_FOUND = 0.85  # of its danger messages, answered with the emergency numbers
MIN_LANGUAGE_TOLD = 0.95  # of its messages that tell their language, told right


def _routed_right(result: RouteResult, case: dict[str, Any]) -> tuple[bool, list[Any]]:
    found = [(match.topic, match.confidence) for match in result.alternatives]
    if "ambiguous" in case:
        ok = result.ambiguous and set(case["ambiguous"]) == {
            match.topic for match in result.alternatives[:2]
        }
    elif case["topic"] is None:
        ok = (result.topic, result.crisis) == (None, False)
    elif case["topic"] == CRISIS:
        ok = (result.topic, result.crisis) == (CRISIS, True)
    else:
        ok = (result.topic, result.ambiguous, result.crisis) == (case["topic"], False, False)
    return ok, found


@pytest.mark.parametrize(("lang", "case"), all_cases(languages=LAUNCH_LANGUAGES))
def test_message_routes_to_its_label(router: Router, lang: str, case: dict[str, Any]) -> None:
    ok, found = _routed_right(router.route(case["text"]), case)
    assert ok, found


@pytest.mark.parametrize(
    ("lang", "case"), all_cases(telling_language=True, languages=LAUNCH_LANGUAGES)
)
def test_message_language_is_detected(router: Router, lang: str, case: dict[str, Any]) -> None:
    assert router.route(case["text"]).lang == case.get("lang", lang)


@pytest.mark.parametrize("lang", LATER_LANGUAGES)
def test_a_later_language_is_understood_well_enough(understanding: Router, lang: str) -> None:
    cases = labelled(lang)
    results = [(case, understanding.route(case["text"])) for case in cases]
    right = [case["text"] for case, result in results if _routed_right(result, case)[0]]
    danger = [(case, result) for case, result in results if case.get("topic") == CRISIS]
    told = [(case, result) for case, result in results if case.get("lang") != "any"]
    told_right = [case for case, result in told if result.lang == case.get("lang", lang)]
    assert len(right) >= MIN_RIGHT * len(cases), (lang, len(right), len(cases))
    assert sum(result.crisis for _, result in danger) >= MIN_DANGER_FOUND * len(danger)
    assert len(told_right) >= MIN_LANGUAGE_TOLD * len(told)


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
