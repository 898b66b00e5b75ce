"""Odd input gets a polite answer in bounded time: never an error, never silence."""

from __future__ import annotations

import pytest

from bot.app import Wegweiser
from bot.core.messages import Kind
from tests.core.conftest import Chat

ODD = {
    "empty": "",
    "spaces": "   \n\t ",
    "long": "Deutschkurs bitte " * 600,  # 10,800 characters
    "control": "\x00\x07\x1b[31m\x7f",
    "zero-width": "\u200b\u200c\u200d\ufeff",
    "rtl-override": "\u202eDeutschkurs\u202c",
    "emoji": "😀🙏🏽👍",
    "flags": "🇩🇪🇺🇦",
}


async def _in_rostock(app: Wegweiser, language_code: str) -> Chat:
    chat = Chat(app, language_code=language_code)
    await chat.start()
    await chat.press("core:region:rostock")
    return chat


ASK_FOR_WORDS = "Please write in a few words what you need, or choose a topic."
EXPECTED = {
    "empty": ASK_FOR_WORDS,
    "spaces": ASK_FOR_WORDS,
    "control": "Sorry, I did not understand that.",  # "[31m" is left of the escape code
    "zero-width": ASK_FOR_WORDS,
    "rtl-override": "Here is who can help in Rostock:",
    "long": "Soll ich ab jetzt in dieser Sprache antworten?",  # German, and it is read
    "emoji": ASK_FOR_WORDS,
    "flags": ASK_FOR_WORDS,
}


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", sorted(ODD))
async def test_odd_input_gets_a_polite_answer(app: Wegweiser, name: str) -> None:
    chat = await _in_rostock(app, "en")
    text = await chat.say(ODD[name])
    assert text.startswith(EXPECTED[name])
    if EXPECTED[name] in (ASK_FOR_WORDS, "Sorry, I did not understand that."):
        assert "core:topic:language_course" in chat.options  # the topic menu is the way on
    else:
        assert chat.options  # there is always a way on


async def test_no_letters_asks_for_words(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "fa")
    text = await chat.say("😀🙏🏽")
    assert text == "لطفاً در چند کلمه بنویسید که به چه چیزی نیاز دارید، یا یک موضوع انتخاب کنید."


async def test_hidden_characters_do_not_hide_the_question(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "de")
    text = await chat.say("\u202eDeutsch\u200bkurs\u202c")
    assert "Integrationskurse der Volkshochschule" in text


@pytest.mark.parametrize("lang", ["de", "ar", "uk"])
async def test_voice_photo_and_stickers_get_a_request_for_text(app: Wegweiser, lang: str) -> None:
    chat = await _in_rostock(app, lang)
    await chat.send(Kind.UNSUPPORTED)
    expected = {
        "de": "Entschuldigung, ich kann nur Text lesen.",
        "ar": "عذراً، يمكنني قراءة النصوص فقط.",
        "uk": "Вибачте, я можу читати лише текст.",
    }[lang]
    assert chat.text.startswith(expected)
    assert chat.replies[0].lang == lang


async def test_odd_input_before_a_language_is_known_asks_for_it(app: Wegweiser) -> None:
    chat = Chat(app)
    text = await chat.say("👋")
    assert "Please choose your language." in text
