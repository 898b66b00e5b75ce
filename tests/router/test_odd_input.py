"""Odd input gets an honest "not sure", never an error and never a topic made up from noise."""

from __future__ import annotations

import pytest

from bot.core.router import Router

ODD = [
    "",
    "   \n\t  ",
    "\x00\x01\x02\x1b[31m\x7f",
    "\u200b\u200c\u200d\u2060\ufeff",
    "\u202e\u202d\u202a\u202b\u202c\u2066\u2067\u2068\u2069",
    "😀😀😀🙏🏽👨‍👩‍👧",
    "🇩🇪🇺🇦🇸🇾",
    "!!!???...;;;",
    "1234567890",
    "ㅤㅤㅤ",  # Hangul fillers that look empty
    "x" * 10_000,
    "a " * 10_000,
    "\u0301" * 5_000,  # combining marks without a letter
    "ﷺ" * 1_000,
]


@pytest.mark.parametrize("text", ODD, ids=range(len(ODD)))
def test_odd_input_is_not_sure(router: Router, text: str) -> None:
    result = router.route(text)
    assert (result.topic, result.crisis, result.ambiguous) == (None, False, False)


def test_invisible_and_direction_characters_do_not_hide_a_word(router: Router) -> None:
    assert router.route("\u202eWoh\u200bnung\u202c").topic == "housing"
    assert router.route("\u2067شقة\u2069").topic == "housing"


def test_only_the_start_of_a_very_long_text_is_read(router: Router) -> None:
    assert router.route("Wohnung " + "bla " * 5_000).topic == "housing"
    assert router.route("bla " * 5_000 + "Wohnung").topic is None


def test_a_word_as_long_as_a_novel_is_no_topic(router: Router) -> None:
    assert router.route("wohnung" * 2_000).topic is None
