"""Danger gets the emergency numbers, whatever else goes wrong in the turn.

Arabic words that equal one of the router's clitic prefixes (بال "mind", فال "omen") once
crashed crisis detection itself, so "I want to kill myself … no peace of mind" got an apology.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.core import router as router_module
from bot.core.dialogue import users
from bot.core.router import Router
from tests.core.conftest import Chat
from tests.hardening.words import lexicon_words, translation_words

SUICIDAL = "بدي انتحر ما عندي راحة بال"  # "I want to kill myself, I have no peace of mind"
CLITIC_WORDS = ("بال", "وال", "لل", "فال", "كال", "مي", "و", "ب")
EMERGENCY = "112"


@pytest.fixture(scope="module")
def router() -> Router:
    return Router.from_locales()


def test_words_equal_to_a_clitic_are_routed(router: Router) -> None:
    for word in CLITIC_WORDS:
        assert router.route(word).crisis is False
        assert router.route(f"عندي {word}").crisis is False
    result = router.route(SUICIDAL)
    assert result.crisis and result.topic == "crisis"


def test_the_route_command_explains_them(tmp_path: Path) -> None:
    env = {"WEGWEISER_DATA_DIR": str(tmp_path)}
    plain = CliRunner().invoke(cli, ["route", "فال"], env=env)
    assert plain.exit_code == 0, plain.output
    assert "not sure" in plain.output
    danger = CliRunner().invoke(cli, ["route", SUICIDAL], env=env)
    assert danger.exit_code == 0, danger.output
    assert "crisis" in danger.output


def test_every_lexicon_and_translation_word_routes(router: Router) -> None:
    words = lexicon_words() + translation_words()
    assert len(words) > 5000
    for word in words:
        router.route(word)
        router.route(f"{word} {word[::-1]}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_random_unicode_routes(router: Router, text: str) -> None:
    result = router.route(text)
    assert result.crisis in (True, False)


async def test_a_person_in_danger_gets_the_numbers_in_arabic(chat: Chat) -> None:
    await chat.start()
    await chat.press("core:lang:de")
    reply = await chat.say(SUICIDAL)
    assert EMERGENCY in reply and "0800 111 0 111" in reply
    assert chat.replies[0].lang == "ar"
    assert "went wrong" not in reply


async def test_danger_gets_the_numbers_when_the_database_fails(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    await chat.start()
    await chat.press("core:lang:de")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(users, "load_or_create", broken)
    reply = await chat.say(SUICIDAL)
    assert EMERGENCY in reply and "went wrong" not in reply
    assert await chat.say("Ich suche einen Deutschkurs") == (
        "Entschuldigung, bei mir ist etwas schiefgegangen. Bitte versuchen Sie es noch einmal."
    )


async def test_danger_gets_the_numbers_when_topic_routing_fails(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    await chat.start()
    await chat.press("core:lang:en")

    def broken(self: Router, text: str, lang_hint: str | None = None) -> None:
        raise IndexError("a bug in a later stage")

    monkeypatch.setattr(router_module.Router, "route", broken)
    reply = await chat.say("I want to kill myself")
    assert EMERGENCY in reply and "went wrong" not in reply
    reply = await chat.say("I need a German course")
    assert "went wrong" in reply
