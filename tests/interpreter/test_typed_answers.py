"""An interpreter request answered by typing instead of pressing: the flow goes on."""

from __future__ import annotations

from bot.core.messages import Kind
from tests.interpreter.conftest import Bot, Chat


async def _kind_question(bot: Bot, language_code: str, user_id: str = "p1") -> Chat:
    person = bot.person(user_id, language_code)
    await person.send(Kind.START)
    await person.press("core:region:lindenau")
    await person.press("itp:new")
    await person.press(f"itp:lang:{language_code}")
    return person


async def test_a_typed_appointment_kind_goes_on_to_the_day(bot_any_db: Bot) -> None:
    person = await _kind_question(bot_any_db, "uk")
    assert person.text == "Що це за зустріч?"

    text = await person.say("лікар")  # "🩺 Лікар або лікарня", typed

    assert text == "Коли зустріч?"
    text = await person.say("завтра")
    assert text.startswith("Ваш запит:")
    assert "2026-03-03" in person.option("✅")


async def test_a_typed_kind_with_a_typo_in_another_script(bot: Bot) -> None:
    person = await _kind_question(bot, "ar")

    await person.say("طبيب")

    assert all(
        value.startswith("itp:when:ar:doctor:") for value in list(person.options.values())[:4]
    )


async def test_a_clear_new_request_leaves_the_flow(bot: Bot) -> None:
    person = await _kind_question(bot, "uk")

    text = await person.say("Мені потрібен курс німецької мови, будь ласка")

    assert "Коли зустріч?" not in text
    assert not any(value.startswith("itp:when:") for value in person.options.values())


async def test_a_crisis_always_leaves_the_flow(bot: Bot) -> None:
    person = await _kind_question(bot, "en")

    text = await person.say("help, my husband is beating me")

    assert "112" in text
    assert not any(value.startswith("itp:") for value in person.options.values())


async def test_a_word_naming_a_lone_button_and_a_topic_is_a_new_request(bot: Bot) -> None:
    person = bot.person()
    await bot.request(person)
    assert "My interpreter requests" in person.options

    text = await person.say("Interpreter")

    assert text.startswith("Lindenau community interpreter pool")
    assert "itp:new" in person.options.values()
