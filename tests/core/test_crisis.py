"""Crisis words win over everything and get the emergency numbers at once, in that language."""

from __future__ import annotations

import pytest

from bot.app import Wegweiser
from bot.i18n import translator
from bot.settings import RTL_LANGUAGES
from tests.core.conftest import Chat

CRISIS_MESSAGES = {
    "de": "Ich will mich umbringen",
    "en": "I want to kill myself",
    "ar": "أريد أن أقتل نفسي",
    "fa": "می‌خواهم خودم را بکشم",
    "uk": "Я хочу вбити себе",
    "ru": "Я хочу убить себя",
    "tr": "Kendimi öldürmek istiyorum",
    "pl": "Chcę umrzeć",
}
NUMBERS = ("112", "0800 111 0 111", "0800 111 0 222", "116 016")


@pytest.mark.parametrize("lang", sorted(CRISIS_MESSAGES))
async def test_crisis_gets_numbers_in_the_language_written(app: Wegweiser, lang: str) -> None:
    chat = Chat(app, language_code=lang)
    await chat.start()
    await chat.press("core:region:rostock")
    text = await chat.say(CRISIS_MESSAGES[lang])
    assert len(chat.replies) == 1
    reply = chat.replies[0]
    assert reply.lang == lang
    t = translator(lang)
    assert t.gettext("If you or someone else is in danger, please get help now:") in text
    for number in NUMBERS:
        if lang in RTL_LANGUAGES:
            assert f"\u2066{number}\u2069" in text  # kept left to right inside Arabic script
        else:
            assert number in text


async def test_crisis_interrupts_the_age_question(app: Wegweiser) -> None:
    chat = Chat(app, language_code="en")
    await chat.start()
    await chat.press("core:region:rostock")
    assert "How old are you?" in await chat.say("MBE")
    text = await chat.say("my husband is hitting me")
    assert "116 016" in text
    text = await chat.say("30")  # the age question was dropped: no service list appears
    assert "MBE" not in text


async def test_crisis_in_another_language_is_answered_in_both(app: Wegweiser) -> None:
    chat = Chat(app, language_code="de")
    await chat.start()
    await chat.say(CRISIS_MESSAGES["ru"])
    assert [reply.lang for reply in chat.replies] == ["ru", "de"]
    assert "Если вы или кто-то другой в опасности" in chat.replies[0].plain_text
    assert "Wenn Sie oder jemand anderes in Gefahr sind" in chat.replies[1].plain_text


async def test_emergency_numbers_from_the_menu(app: Wegweiser) -> None:
    chat = Chat(app, language_code="tr")
    await chat.start()
    await chat.press("core:region:rostock")
    await chat.say(str(chat.options.index("core:sos") + 1))
    assert "Acil durum, ambulans, itfaiye: 112 numarasını arayın" in chat.text
