"""Wegweiser end to end on Matrix: the real dialogue and catalogue, a real Synapse, encrypted chats.

People use the bot the way they would in Element: they open an encrypted direct chat, answer
numbered choices with a number, write in their own language, and save a course to their calendar.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from icalendar import Calendar

from tests.matrix.people import Person, Received, numbered, text_of

pytestmark = pytest.mark.synapse

ARABIC_COURSES = "دورات اللغة الألمانية في الجامعة الشعبية"
UKRAINIAN_CENTRE = "Психосоціальний центр Росток"


def choice(message: Received, contains: str) -> str:
    """The number to write for the first choice whose label contains ``contains``."""
    return str(next(n for label, n in numbered(message.body).items() if contains in label))


async def test_lotse_link_numbered_choices_course_file_and_a_restart(
    wegweiser: Callable, people: Callable
) -> None:
    bot = await wegweiser()
    amal: Person = await people("amal")
    room = await amal.open_direct_chat(bot.user_id)

    welcome = await amal.ask(room, "!start LdeGrostock")  # the first message of a Lotse link
    menu = welcome[-1]
    assert all(m.msgtype == "m.notice" and m.event.decrypted for m in welcome)
    assert "<ol>" in menu.html

    card = await amal.ask(room, choice(menu, "Deutschkurse"))
    assert "Deutschkurse der Volkshochschule" in text_of(card)
    assert "Am Kabutzenhof 20a" in text_of(card)

    # The bot goes down; the person chooses "all course dates" meanwhile.
    await bot.stop()
    asked_while_down = await amal.say(room, choice(card[-1], "📅"))
    restarted = await wegweiser()
    assert restarted.device_id == bot.device_id

    dates = await amal.answered(asked_while_down)
    assert "Integrationskurs A1 am Vormittag" in text_of(dates)
    assert "08:30" in text_of(dates)
    assert not {m.body for m in dates} & {m.body for m in welcome + card}  # nothing replayed

    saved = await amal.ask(room, choice(dates[-1], ".ics"))
    files = [m for m in saved if m.msgtype == "m.file"]
    assert len(files) == 1 and files[0].body.endswith(".ics")
    assert "url" not in files[0].content  # uploaded encrypted, key inside the encrypted event
    calendar = Calendar.from_ical(await amal.download(files[0]))
    events = [component for component in calendar.walk("VEVENT")]
    assert "Integrationskurs A1 am Vormittag" in str(events[0]["SUMMARY"])
    assert events[0].decoded("DTSTART").date().isoformat() == "2027-01-11"

    later = await amal.ask(room, "Deutschkurs")
    assert "Deutschkurse der Volkshochschule" in text_of(later)
    assert not {m.body for m in later} & {
        m.body for m in dates
    }  # no earlier question answered again


async def test_language_choice_and_questions_in_several_languages(
    wegweiser: Callable, people: Callable
) -> None:
    bot = await wegweiser()

    karim: Person = await people("karim")
    room = await karim.open_direct_chat(bot.user_id)
    languages = await karim.ask(room, "👋")
    assert {"Deutsch", "العربية", "Українська", "Türkçe"} <= set(numbered(languages[-1].body))
    region = await karim.ask(room, choice(languages[-1], "العربية"))
    menu = await karim.ask(room, choice(region[-1], "Rostock"))
    assert "دورات اللغة الألمانية" in text_of(menu)  # the topics, now in Arabic
    courses = await karim.ask(room, "أحتاج دورة لغة ألمانية")
    assert ARABIC_COURSES in text_of(courses)

    olena: Person = await people("olena")
    room = await olena.open_direct_chat(bot.user_id)
    region = await olena.ask(room, "Мені потрібна допомога психолога")
    assert "Rostock" in numbered(region[-1].body)
    centre = await olena.ask(room, choice(region[-1], "Rostock"))
    assert UKRAINIAN_CENTRE in text_of(centre)
    assert "0381 222 33 44" in text_of(centre)

    place = await olena.ask(room, choice(centre[-1], "📍"))
    locations = [m for m in place if m.msgtype == "m.location"]
    assert locations[0].content["geo_uri"] == "geo:54.090000,12.130000"
