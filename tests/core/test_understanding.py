"""Unclear and unrelated messages, number replies and the offer to switch language."""

from __future__ import annotations

from bot.app import Wegweiser
from tests.core.conftest import Chat


async def _in_rostock(app: Wegweiser, language_code: str) -> Chat:
    chat = Chat(app, language_code=language_code)
    await chat.start()
    await chat.press("core:region:rostock")
    return chat


async def test_one_word_meaning_two_topics_is_offered_as_two_choices(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "pl")
    text = await chat.say("leki")  # medicines, or (lęki) fears
    assert "O który z tych tematów chodzi?" in text
    assert sorted(chat.options) == ["core:topic:health", "core:topic:psychosocial"]


async def test_two_needs_named_one_after_the_other_answer_the_first(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "de")
    text = await chat.say("Ich brauche Hilfe bei der Wohnungssuche und Arbeit")
    assert "Welches davon meinen Sie?" not in text
    assert "ich kenne dafür in Rostock noch kein Angebot" in text  # housing
    assert text.endswith("Sie haben auch genannt: Arbeit und Ausbildung")
    assert "core:topic:work" in chat.options


async def test_unrelated_text_gets_the_menu_never_a_service(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    text = await chat.say("what's the weather like tomorrow")
    assert text.startswith("Sorry, I did not understand that.")
    assert all(value.startswith("core:topic:") or value == "core:sos" for value in chat.options)


async def test_numbers_answer_the_options_last_shown(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    await chat.say("/menu")
    topics = chat.options
    await chat.say("3")
    assert topics[2] == "core:topic:language_course"
    assert "Integration courses at the adult education centre" in chat.text
    await chat.say("٢")  # an Arabic-Indic two picks the second service
    assert chat.text.startswith("Sprachcafé im Stadtteilzentrum")


async def test_a_number_beyond_the_options_is_not_a_choice(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    await chat.say("/menu")
    text = await chat.say("42")
    assert text.startswith("Sorry, I did not understand that.")


async def test_writing_in_another_language_offers_a_switch(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    text = await chat.say("أحتاج دورة لغة ألمانية")
    assert text == "هل أجيبك بهذه اللغة من الآن؟"
    assert chat.replies[0].lang == "ar"
    assert chat.labels == ["العربية", "No, keep my language"]
    text = await chat.say("1")
    assert chat.replies[0].lang == "ar"
    assert "هنا يمكنك الحصول على المساعدة في Rostock:" in text  # the question, answered


async def test_keeping_the_language_answers_and_does_not_ask_again(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    await chat.say("Мне нужен Termin bei der Ausländerbehörde")
    assert chat.options == ["core:switch:ru", "core:keep:ru"]
    text = await chat.say("2")
    assert "Sorry, I do not know a service for this in Rostock yet." in text  # residence
    text = await chat.say("Мне нужен курс немецкого языка")
    assert "Integration courses at the adult education centre" in text


async def test_single_borrowed_words_do_not_trigger_an_offer(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "ar")
    text = await chat.say("Deutschkurs")
    assert "هنا يمكنك الحصول على المساعدة في Rostock:" in text
