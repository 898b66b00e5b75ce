"""From a question to the right services: lists, cards, ages, languages, distances, courses."""

from __future__ import annotations

from bot.app import Wegweiser
from bot.core.events import CardShown, TopicRequested
from bot.core.messages import GeoPoint, Kind
from tests.core.conftest import Chat


async def _in_rostock(app: Wegweiser, language_code: str = "de") -> Chat:
    chat = Chat(app, language_code=language_code)
    await chat.start()
    await chat.press("core:region:rostock")
    return chat


async def test_language_courses_are_listed_with_their_dates(app: Wegweiser) -> None:
    chat = await _in_rostock(app)
    text = await chat.say("Deutschkurs")
    assert "Hier bekommen Sie Hilfe in Rostock:" in text
    assert "Integrationskurse der Volkshochschule" in text
    assert "Beispiel: Integrationskurs A1, 11.01.2027 bis 30.06.2027" in text
    assert "Sprachcafé am Mittwoch, ab 06.01.2027" in text
    assert chat.options[:2] == ["core:svc:rostock-vhs-kurse", "core:svc:rostock-sprachcafe"]


async def test_number_reply_opens_the_card(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    await chat.say("german course")
    text = await chat.say("1")
    assert text.startswith("Integration courses at the adult education centre")
    assert "Provider: Volkshochschule Test" in text
    assert "📍 Where: Am Kabutzenhof 20a, 18057 Rostock" in text
    assert "Example: Integration course A1" in text
    # The description has no English text: the card says German is shown.
    assert "Deutschkurse mit Orientierungskurs." in text
    assert "Some text is shown in German because there is no translation yet." in text


async def test_card_shows_every_known_fact_in_the_users_language(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    await chat.press("core:svc:rostock-mbe")
    text = chat.text
    assert "Migration counselling for adults (MBE)" in text
    assert "For whom: aged 27 and older" in text
    assert "Mon–Tue 9:00\u202fAM–12:00\u202fPM and 1:00\u202fPM–4:00\u202fPM" in text
    assert "Thu 9:00\u202fAM–12:00\u202fPM" in text
    assert "Wed" not in text  # closed days are left out
    assert "Please make an appointment first." in text
    assert "☎️ 0381 123 45 67" in text
    assert "✉️ mbe@example.org" in text
    assert "Languages spoken: German, Arabic, and Russian" in text
    assert "Cost: free of charge" in text
    assert "Barrier-free access" in text
    assert "Last checked: November 21, 2026" in text
    assert "German because" not in text  # everything was translated
    assert chat.options[0] == "core:where:rostock-mbe"


async def test_missing_facts_are_left_out(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    text = await chat.press("core:svc:rostock-psz")
    assert "Psychosocial centre (PSZ)" in text
    for absent in ("Where:", "Opening hours:", "Cost:", "How to reach them:", "appointment"):
        assert absent not in text
    assert "Languages spoken: German and Persian" in text


async def test_card_in_ukrainian_names_languages_in_ukrainian(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "uk")
    text = await chat.press("core:svc:rostock-mbe")
    assert "Міграційна консультація для дорослих (MBE)" in text
    assert "Мови спілкування: німецька, арабська і російська" in text
    assert "пн–вт 09:00–12:00 і 13:00–16:00" in text


async def test_age_decides_between_mbe_and_jmd(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    text = await chat.say("MBE")
    assert "How old are you?" in text
    assert chat.options == []  # a typed number answers the age, not an option
    text = await chat.say("19")
    assert "Youth migration service Rostock (JMD)" in text
    assert "Migration counselling for adults" not in text


async def test_adults_get_the_mbe_and_the_age_is_asked_once(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "ar")
    await chat.press("core:topic:migration_counselling")
    text = await chat.say("عمري ٣٥ سنة")  # Arabic-Indic digits
    assert "استشارة الهجرة للبالغين (MBE)" in text
    text = await chat.press("core:topic:youth_migration")
    assert "MBE" in text  # 35 is too old for the JMD: the MBE is offered instead
    assert "JMD" not in text


async def test_unmet_need_is_counted_and_said_kindly(app: Wegweiser) -> None:
    seen: list[object] = []
    app.events.subscribe(seen.append)
    chat = await _in_rostock(app, "en")
    text = await chat.say("I need help finding a flat")
    assert "Sorry, I do not know a service for this in Rostock yet." in text
    assert TopicRequested("housing", "en", "rostock", 0) in seen
    # not a dead end: the town's general counselling first, then another town
    assert "General counselling here: " in text
    assert chat.options == ["core:svc:rostock-mbe", "core:region", "core:menu"]


async def test_cards_are_counted(app: Wegweiser) -> None:
    seen: list[object] = []
    app.events.subscribe(seen.append)
    chat = await _in_rostock(app, "en")
    await chat.say("PSZ")
    assert TopicRequested("psychosocial", "en", "rostock", 1) in seen
    assert CardShown("rostock-psz", "en", "rostock") in seen


async def test_staff_speaking_the_users_language_come_first(app: Wegweiser) -> None:
    chat = Chat(app, language_code="fa")
    await chat.start()
    await chat.press("core:region:rostock")
    await chat.press("core:topic:psychosocial")
    assert "Psychosoziales Zentrum (PSZ)" in chat.text
    assert "زبان‌هایی که صحبت می‌شود: آلمانی و فارسی" in chat.text


async def test_location_sorts_services_by_distance(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    await chat.say("german course")
    lutten_klein = GeoPoint(54.1705, 12.0610)
    await chat.send(Kind.LOCATION, location=lutten_klein)
    assert chat.options[0] == "core:svc:rostock-sprachcafe"
    assert "less than 1 km away" in chat.text
    centre = GeoPoint(54.0921, 12.1221)
    await chat.send(Kind.LOCATION, location=centre)
    assert chat.options[0] == "core:svc:rostock-vhs-kurse"


async def test_location_without_a_topic_asks_for_one(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    await chat.send(Kind.LOCATION, location=GeoPoint(54.09, 12.13))
    assert "Please choose a topic first" in chat.text
    assert "core:topic:language_course" in chat.options


async def test_map_button_sends_a_venue(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    await chat.press("core:where:rostock-mbe")
    venue = chat.replies[0].venue
    assert venue is not None
    assert (venue.latitude, venue.longitude) == (54.0887, 12.1405)
    assert venue.address == "Am Markt 1, 18055 Rostock"


async def test_course_dates_in_detail(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    text = await chat.press("core:courses:rostock-vhs-kurse")
    assert "Course dates: Integration courses at the adult education centre" in text
    assert "Example: Integration course A1" in text
    assert "📅 Jan 11, 2027 to Jun 30, 2027" in text
    assert "Mon, Tue, Wed, and Thu 8:30\u202fAM–12:45\u202fPM" in text
    assert "3 seats free" in text
    assert "Childcare available" in text


async def test_a_removed_service_is_no_dead_end(app: Wegweiser) -> None:
    chat = await _in_rostock(app, "en")
    text = await chat.press("core:svc:no-such-service")
    assert "this offer is no longer available" in text
    assert chat.options == ["core:menu"]
