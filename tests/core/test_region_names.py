"""The region question: places typed in any launch language's script, and places not covered yet."""

from __future__ import annotations

import pytest

from bot.app import Wegweiser
from bot.i18n import translator
from tests.core.conftest import Chat

NOT_COVERED_DE = "Entschuldigung, Wegweiser gibt es für diesen Ort noch nicht."
REGION_QUESTION_DE = (
    "Wo wohnen Sie? Bitte wählen Sie Ihre Stadt oder Ihren Landkreis, oder schreiben Sie Ihre "
    "Postleitzahl."
)
NOT_UNDERSTOOD_DE = "Entschuldigung, ich habe das nicht verstanden."


def _your_town(lang: str, region: str) -> str:
    return translator(lang).gettext("Your town: {region}.").format(region=region)


async def test_an_unknown_place_is_answered_kindly_with_the_known_places(chat: Chat) -> None:
    await chat.start()

    text = await chat.say("Hamburg")

    assert NOT_COVERED_DE in text
    assert REGION_QUESTION_DE in text
    assert NOT_UNDERSTOOD_DE not in text
    assert chat.labels == ["Koblenz", "Rostock"]
    text = await chat.say("2")  # the places offered again can be chosen by number
    assert "Ihr Ort: Rostock." in text


async def test_the_unknown_place_answer_is_in_the_users_language(app: Wegweiser) -> None:
    chat = Chat(app, language_code="ar")
    await chat.start()

    text = await chat.say("هامبورغ")

    assert "عذراً، Wegweiser لا يعمل في هذا المكان بعد." in text
    assert "أين تسكن؟" in text
    assert {reply.lang for reply in chat.replies} == {"ar"}
    assert chat.labels == ["Koblenz", "Rostock"]


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("ar", "روستوك"),  # an alias in Arabic script
        ("fa", "روستوک"),  # Persian letters, folded to the Arabic alias
        ("ru", "Росток"),
        ("uk", "Я живу в Ростоку"),  # in a sentence, with a case ending
        ("ru", "я живу в ростоке"),
        ("tr", "Rostok"),  # a Latin typo of the name
        ("pl", "Mieszkam w Rostocku"),
        ("en", "HRO"),  # the short form, typed exactly
    ],
)
async def test_known_places_are_recognised_in_any_script(
    app: Wegweiser, lang: str, typed: str
) -> None:
    chat = Chat(app, language_code=lang)
    await chat.start()

    text = await chat.say(typed)

    assert _your_town(lang, "Rostock") in text
    assert chat.replies[-1].lang == lang


async def test_a_short_form_inside_another_word_is_no_place(chat: Chat) -> None:
    await chat.start()

    text = await chat.say("Chronik")  # contains "hro", Rostock's short form

    assert NOT_COVERED_DE in text
    assert chat.labels == ["Koblenz", "Rostock"]


async def test_a_topic_waiting_for_the_region_survives_an_unknown_place(app: Wegweiser) -> None:
    chat = Chat(app, language_code="de")
    text = await chat.say("Deutschkurs")
    assert REGION_QUESTION_DE in text

    text = await chat.say("Hamburg")
    assert NOT_COVERED_DE in text

    text = await chat.say("Rostock")
    assert "Ihr Ort: Rostock." in text
    assert "Integrationskurse der Volkshochschule" in text  # the waiting topic, answered


async def test_a_topic_typed_at_the_region_question_is_remembered(chat: Chat) -> None:
    await chat.start()

    text = await chat.say("Deutschkurs")

    assert REGION_QUESTION_DE in text
    assert NOT_COVERED_DE not in text
    text = await chat.say("Rostock")
    assert "Integrationskurse der Volkshochschule" in text


async def test_an_unknown_place_keeps_the_town_chosen_before(chat: Chat) -> None:
    await chat.start()
    await chat.press("core:region:rostock")
    await chat.say("/region")

    text = await chat.say("Hamburg")
    assert NOT_COVERED_DE in text
    text = await chat.say("Deutschkurs")

    assert "Integrationskurse der Volkshochschule" in text  # still answered for Rostock


async def test_the_demo_places_are_recognised_by_the_names_people_type(demo_app: Wegweiser) -> None:
    typed = {
        ("ar", "روستوك"): "Hanse- und Universitätsstadt Rostock",
        ("fa", "کوبلنتس"): "Stadt Koblenz",
        ("ru", "Кобленц"): "Stadt Koblenz",
        ("ar", "بريمرهافن"): "Bremerhaven",
        ("uk", "Бремергафен"): "Bremerhaven",
        ("ru", "Бад-Херсфельд"): "Landkreis Hersfeld-Rotenburg",
        ("fa", "باد هرسفلد"): "Landkreis Hersfeld-Rotenburg",
        ("de", "Rotenburg an der Fulda"): "Landkreis Hersfeld-Rotenburg",
        ("pl", "Koblencja"): "Stadt Koblenz",
    }
    for number, ((lang, place), region) in enumerate(typed.items()):
        chat = Chat(demo_app, user_id=f"demo-{number}", language_code=lang)
        await chat.start()

        text = await chat.say(place)

        assert _your_town(lang, region) in text, place
