"""Messages as newcomers write them: a town inside a sentence, several needs at once, answers
typed instead of pressed, and lists that follow what was asked."""

from __future__ import annotations

import pytest

from bot.app import Wegweiser
from bot.core.dialogue import state, users
from services_catalog.db import session_scope
from tests.core.conftest import Chat

AGE_QUESTION_EN = "Some services here are for certain ages only. How old are you?"


async def _in(app: Wegweiser, region: str, language_code: str) -> Chat:
    chat = Chat(app, language_code=language_code)
    await chat.start()
    await chat.press(f"core:region:{region}")
    return chat


# --- a town in the message ------------------------------------------------------------------


async def test_a_town_in_a_sentence_offers_to_switch_and_answers_there(
    demo_app_any_db: Wegweiser,
) -> None:
    chat = await _in(demo_app_any_db, "rostock", "en")

    text = await chat.say("I moved to Koblenz, I need a job")

    assert text == (
        "You mentioned Stadt Koblenz. Shall I show you help in Stadt Koblenz? "
        "Right now your town is Hanse- und Universitätsstadt Rostock."
    )
    assert chat.options == ["core:region:koblenz", "core:topic:work"]
    text = await chat.say("1")
    assert "Your town: Stadt Koblenz." in text
    assert "Here is who can help in Stadt Koblenz:" in text
    assert "Koblenzer Lotsenhaus" in text
    assert "Jobcenter" not in text  # nothing of Rostock's


async def test_staying_in_the_own_town_answers_the_topic_there(demo_app: Wegweiser) -> None:
    chat = await _in(demo_app, "rostock", "en")
    await chat.say("I moved to Koblenz, I need a job")

    text = await chat.press(chat.options[1])

    assert "Here is who can help in Hanse- und Universitätsstadt Rostock:" in text
    assert "Hanse-Jobcenter Rostock" in text


@pytest.mark.parametrize(
    ("language_code", "sentence"),
    [
        ("ru", "Я переехал в Кобленц, ищу работу"),
        ("ar", "انتقلت إلى كوبلنز وأبحث عن عمل"),
        ("de", "Wir sind jetzt in Coblenz und suchen Arbeit"),
    ],
)
async def test_the_town_is_found_by_any_of_its_names(
    demo_app: Wegweiser, language_code: str, sentence: str
) -> None:
    chat = await _in(demo_app, "rostock", language_code)

    await chat.say(sentence)

    assert chat.options[0] == "core:region:koblenz"
    assert chat.labels[0] == "📍 Stadt Koblenz"


async def test_a_newcomer_naming_the_town_gets_it_set_and_the_topic_answered(
    demo_app: Wegweiser,
) -> None:
    chat = Chat(demo_app, language_code="en")
    await chat.start()  # asks where they live

    text = await chat.say("I live in Koblenz and I need a job")

    assert "Your town: Stadt Koblenz." in text
    assert "Koblenzer Lotsenhaus" in text


async def test_the_own_town_in_a_sentence_changes_nothing(demo_app: Wegweiser) -> None:
    chat = await _in(demo_app, "rostock", "en")

    text = await chat.say("I need a job in Rostock")

    assert "Here is who can help in Hanse- und Universitätsstadt Rostock:" in text


# --- several needs in one message -----------------------------------------------------------


async def test_several_needs_answer_the_clearest_and_offer_the_others(
    demo_app_any_db: Wegweiser,
) -> None:
    chat = await _in(demo_app_any_db, "rostock", "en")

    text = await chat.say(
        "We are a family. We need a place in a Kita for our little one, a school for our son, "
        "he is 15, and I want recognition as a nurse"
    )

    # the town's one recognition office first, then the nationwide offers
    assert text.startswith(
        "Here is who can help in Hanse- und Universitätsstadt Rostock:\n"
        "• Advice on recognition of foreign qualifications"
    )
    assert "Nationwide, by phone or online:" in text
    assert text.endswith("You also mentioned: Childcare and school")
    assert chat.options[-2:] == ["core:topic:childcare_school", "core:menu"]
    text = await chat.say(str(chat.options.index("core:topic:childcare_school") + 1))
    assert "Here is who can help in Hanse- und Universitätsstadt Rostock:" in text
    assert "(DaZ)" in text  # the school classes for children new to German


async def test_needs_named_one_after_the_other_are_all_offered(app: Wegweiser) -> None:
    chat = await _in(app, "rostock", "de")

    text = await chat.say("Ich brauche Hilfe bei Wohnungssuche und Arbeit und einen Deutschkurs")

    assert "Welches davon meinen Sie?" not in text
    assert text.endswith("Sie haben auch genannt: Arbeit und Ausbildung und Deutschkurse")
    assert chat.options[-3:] == ["core:topic:work", "core:topic:language_course", "core:menu"]
    text = await chat.say(str(chat.options.index("core:topic:language_course") + 1))
    assert "Integrationskurse der Volkshochschule" in text


async def test_the_other_needs_and_the_town_wait_behind_the_language_offer(
    demo_app_any_db: Wegweiser,
) -> None:
    family = await _in(demo_app_any_db, "rostock", "en")
    await family.say(
        "Wir brauchen einen Kitaplatz für unsere Tochter und ich möchte die Anerkennung "
        "als Krankenschwester"
    )
    assert family.options == ["core:switch:de", "core:keep:de"]
    text = await family.say("2")  # keep English
    assert text.startswith("Advice on recognition of foreign qualifications")
    assert "core:topic:childcare_school" in family.options

    mover = Chat(demo_app_any_db, "u2", language_code="en")
    await mover.start()
    await mover.press("core:region:rostock")
    await mover.say("Ich ziehe nach Koblenz und suche Arbeit")
    assert mover.options == ["core:switch:de", "core:keep:de"]
    text = await mover.say("2")
    assert text.startswith("You mentioned Stadt Koblenz.")


# --- typed answers inside a flow ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language_code", "typed"),
    [
        ("de", "neunzehn"),
        ("en", "nineteen"),
        ("ru", "девятнадцать"),
        ("uk", "мені дев'ятнадцять"),
        ("ar", "تسعة عشر"),
        ("fa", "نوزده سال"),
        ("tr", "on dokuz"),
        ("pl", "dziewiętnaście"),
    ],
)
async def test_the_age_can_be_written_in_words(
    app: Wegweiser, language_code: str, typed: str
) -> None:
    chat = await _in(app, "rostock", language_code)
    await chat.press("core:topic:migration_counselling")
    assert chat.options == []  # the age question

    text = await chat.say(typed)

    assert "Jugendmigrationsdienst Rostock (JMD)" in text or "(JMD)" in text
    assert "(MBE)" not in text  # 27 and older only


async def test_the_age_is_kept_on_both_databases(app_any_db: Wegweiser) -> None:
    chat = await _in(app_any_db, "rostock", "en")
    await chat.press("core:topic:migration_counselling")
    await chat.say("I am thirty-five")
    assert chat.text.startswith("Migration counselling for adults (MBE)")

    text = await chat.press("core:topic:youth_migration")  # no second question

    assert text.startswith("Migration counselling for adults (MBE)")


async def test_an_answer_without_an_age_asks_once_more(app: Wegweiser) -> None:
    chat = await _in(app, "rostock", "en")
    await chat.press("core:topic:migration_counselling")

    text = await chat.say("hmm, why?")

    assert text == (
        "Sorry, I could not find an age in this. Please write how old you are, for example 25."
    )
    assert chat.options == ["core:menu"]
    text = await chat.say("nineteen")
    assert text.startswith("Youth migration service Rostock (JMD)")


async def test_a_clear_new_request_leaves_the_age_question(app: Wegweiser) -> None:
    chat = await _in(app, "rostock", "en")
    await chat.press("core:topic:migration_counselling")

    text = await chat.say("I need a German course")

    assert "Integration courses at the adult education centre" in text


async def test_a_typed_option_is_taken_as_the_choice(app: Wegweiser) -> None:
    chat = await _in(app, "rostock", "en")
    await chat.say("/menu")

    text = await chat.say("german courses")  # the menu's "German courses", typed

    assert "Integration courses at the adult education centre" in text
    text = await chat.say("sprachcafe")  # the second service, by its name
    assert text.startswith("Sprachcafé im Stadtteilzentrum")


@pytest.mark.parametrize("typed", ["zwei", "two", "два", "اثنان", "iki", "dwa"])
async def test_an_option_can_be_chosen_by_its_number_in_words(app: Wegweiser, typed: str) -> None:
    chat = await _in(app, "rostock", "en")
    await chat.say("/region")  # Koblenz, Rostock

    text = await chat.say(typed)

    assert "Your town: Rostock." in text


async def test_options_shown_before_labels_were_kept_still_answer_numbers(
    app_any_db: Wegweiser,
) -> None:
    chat = await _in(app_any_db, "rostock", "en")
    with session_scope(app_any_db.engine) as session:
        user = users.find(session, "test", chat.user_id)
        assert user is not None
        state.update(user, options=["core:topic:language_course", "core:menu"])

    text = await chat.say("1")

    assert "Integration courses at the adult education centre" in text


async def test_words_that_fit_several_options_are_not_a_choice(app: Wegweiser) -> None:
    chat = await _in(app, "rostock", "en")
    await chat.say("/region")  # Koblenz, Rostock

    text = await chat.say("the town")

    assert "Your town" not in text


# --- lists that follow what was asked -------------------------------------------------------


async def test_a_course_with_childcare_leads_when_childcare_is_asked(demo_app: Wegweiser) -> None:
    chat = await _in(demo_app, "rostock", "de")

    text = await chat.say("Deutschkurs mit Kinderbetreuung")

    assert "Welches davon meinen Sie?" not in text
    assert chat.labels[0] == "Frauenintegrationskurs mit Kinderbetreuung"


async def test_the_integration_course_leads_when_it_is_named(demo_app: Wegweiser) -> None:
    chat = await _in(demo_app, "rostock", "de")

    await chat.say("Integrationskurs")

    assert chat.labels[0] == "Integrationskurse an der Volkshochschule Rostock"


async def test_german_words_rank_for_someone_reading_another_language(
    demo_app: Wegweiser,
) -> None:
    chat = await _in(demo_app, "rostock", "ar")

    await chat.say("Integrationskurs")

    assert chat.options[0] == "core:svc:rostock-vhs-integrationskurse"


async def test_general_offers_come_before_offers_for_one_group(demo_app: Wegweiser) -> None:
    chat = await _in(demo_app, "rostock", "en")

    await chat.press("core:topic:language_course")

    values = chat.options
    assert values.index("core:svc:rostock-frauenintegrationskurs-kinderbetreuung") == 3
    assert values[-1] == "core:menu"


async def test_an_offer_for_women_leads_when_women_ask(demo_app: Wegweiser) -> None:
    chat = await _in(demo_app, "rostock", "de")

    await chat.say("Deutschkurs für Frauen")

    assert chat.options[0] == "core:svc:rostock-frauenintegrationskurs-kinderbetreuung"


async def test_a_stated_age_filters_the_school_list(app_any_db: Wegweiser) -> None:
    chat = await _in(app_any_db, "rostock", "en")

    text = await chat.say("I need a school for my son, he is 15")

    assert "Welcome classes at schools (test)" in text
    assert "Homework help (test)" in text
    assert "Daycare advice (test)" not in text
    assert "Evening school for adults (test)" not in text


async def test_without_a_stated_age_the_school_list_is_whole_and_asks_nothing(
    app: Wegweiser,
) -> None:
    chat = await _in(app, "rostock", "en")

    text = await chat.press("core:topic:childcare_school")

    assert AGE_QUESTION_EN not in text
    assert chat.labels[0] == "Homework help (test)"  # for everyone, before the age groups
    assert len(chat.labels) == 5
