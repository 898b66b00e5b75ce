"""Danger found by meaning: the emergency numbers first, and the menu or the topic still follows.

The semantic stage can take a harmless message for danger, so unlike an explicit crisis phrase it
never hides what the person came for.
"""

from __future__ import annotations

from bot.app import Wegweiser
from bot.i18n import translator
from tests.core.conftest import Chat

DANGER_HEADING = "If you or someone else is in danger, please get help now:"


async def _in_rostock(app: Wegweiser, language_code: str) -> Chat:
    chat = Chat(app, language_code=language_code)
    await chat.start()
    await chat.press("core:region:rostock")
    return chat


async def test_indirect_danger_gets_the_numbers_then_the_menu(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    text = await chat.say("everyone would be better off if I was gone")
    assert chat.replies[0].plain_text.startswith(translator("en").gettext(DANGER_HEADING))
    assert "116 016" in text
    assert len(chat.replies) == 2
    assert "core:topic:housing" in chat.options  # the menu follows the numbers
    assert "did not understand" not in text


async def test_danger_told_in_latin_letters_is_understood(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "ru")
    text = await chat.say("muzh menya bjot")
    assert translator("ru").gettext(DANGER_HEADING) in text
    assert "112" in text


async def test_a_need_the_lexicon_misses_finds_its_service(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "ar")
    text = await chat.say("ana bdi 2ja2a")
    assert translator("ar").gettext(DANGER_HEADING) not in text
    text = await chat.say("30")  # migration counselling is for adults: the bot asks the age
    assert "MBE" in text
