"""Whole conversations on Telegram: the real app and the real python-telegram-bot Application,
polling the fake Bot API server, on a small Rostock catalogue.

Assertions hold on what a person sees: catalogue texts, buttons, places on a map, files. The
dialogue's own wording belongs to the core and is only checked where a language must show.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlmodel import select

from bot.adapters.telegram import TelegramAdapter
from bot.app import Wegweiser
from bot.core.messages import Reply
from bot.core.ports import DeliveryError
from bot.storage.models import User
from services_catalog.db import session_scope
from tests.servers.fake_telegram import FakeTelegramServer, SentMessage

ANNA, OLENA, KARIM = 1001, 1002, 1003
COURSES = "rostock-deutschkurse"
HOUSING = "rostock-wohnen"


def _has_button(value: str) -> Callable[[SentMessage], bool]:
    return lambda message: value in [v for row in message.buttons for _, v in row]


async def _start_in_rostock(fake: FakeTelegramServer, user_id: int, payload: str) -> None:
    """A deep link sets the language; the town is chosen by pressing its button."""
    fake.send_start(user_id, payload)
    await fake.next_message_where(user_id, _has_button("core:region:rostock"))
    fake.press_button(user_id, "core:region:rostock")
    await fake.next_message_where(user_id, _has_button("core:topic:language_course"))


def _user(wegweiser: Wegweiser, user_id: int) -> User | None:
    with session_scope(wegweiser.engine) as session:
        query = select(User).where(User.platform == "telegram", User.chat_id == str(user_id))
        return session.exec(query).first()


async def test_deep_link_region_free_text_card_and_map(
    fake: FakeTelegramServer, wegweiser: Wegweiser, telegram: TelegramAdapter
) -> None:
    fake.set_language(ANNA, "en")  # the link's language wins over the app's
    await _start_in_rostock(fake, ANNA, "Lde")
    user = _user(wegweiser, ANNA)
    assert user is not None and (user.language, user.region_slug) == ("de", "rostock")

    fake.send_text(ANNA, "Ich suche einen Deutschkurs")
    card = await fake.next_message_where(ANNA, _has_button(f"core:where:{COURSES}"))
    # catalogue text with < & > arrives escaped and reads exactly as written
    assert card.html.startswith("<b>Deutschkurse &lt;A1&gt; &amp; &lt;B1&gt;</b>")
    assert "Kurse für Anfänger & Fortgeschrittene, Stufe > A2 nach Test." in card.text
    assert "+49 381 111111" in card.text

    query_id = fake.press_button(ANNA, f"core:where:{COURSES}")
    venue = await fake.next_message_where(ANNA, lambda m: m.method == "sendVenue")
    assert query_id in fake.answered_callbacks
    assert venue.venue is not None
    assert venue.venue["location"] == {"latitude": 54.0887, "longitude": 12.1404}
    assert venue.venue["title"] == "Deutschkurse <A1> & <B1>"
    assert "Am Kanonsberg 1" in venue.venue["address"]


@pytest.mark.parametrize(
    ("user_id", "language_code", "question", "title"),
    [
        (OLENA, "uk", "Шукаю курси німецької мови", "Курси німецької мови <A1> & <B1>"),
        (KARIM, "ar", "أبحث عن دورة لغة ألمانية", "دورات اللغة الألمانية <A1> & <B1>"),
    ],
)
async def test_free_text_in_the_users_language_gets_the_card_in_that_language(
    fake: FakeTelegramServer,
    telegram: TelegramAdapter,
    user_id: int,
    language_code: str,
    question: str,
    title: str,
) -> None:
    fake.set_language(user_id, language_code)
    fake.send_start(user_id)
    await fake.next_message_where(user_id, _has_button("core:region:rostock"))
    fake.send_text(user_id, "Rostock")  # the town typed instead of pressed
    await fake.next_message_where(user_id, _has_button("core:topic:language_course"))
    fake.send_text(user_id, question)
    card = await fake.next_message_where(user_id, _has_button(f"core:where:{COURSES}"))
    assert card.text.startswith(title)


async def test_a_long_card_is_split_with_its_buttons_under_the_last_piece(
    fake: FakeTelegramServer, telegram: TelegramAdapter
) -> None:
    await _start_in_rostock(fake, ANNA, "Lde")
    fake.send_text(ANNA, "Ich brauche eine Wohnung")
    pieces: list[SentMessage] = [await fake.next_message(ANNA)]
    while not pieces[-1].buttons:
        pieces.append(await fake.next_message(ANNA))
    assert len(pieces) >= 2
    assert pieces[0].text.startswith("Wohnungsberatung Rostock")
    assert all(len(piece.text) <= 4096 for piece in pieces)
    whole = "\n\n".join(piece.text for piece in pieces)
    for number in range(1, 13):
        found = re.findall(rf"(?m)^{number}\. Wir helfen bei der Suche", whole)
        assert len(found) == 1  # nothing lost, nothing doubled
    assert f"core:where:{HOUSING}" in [v for row in pieces[-1].buttons for _, v in row]


async def test_location_voice_note_and_delete(
    fake: FakeTelegramServer, wegweiser: Wegweiser, telegram: TelegramAdapter
) -> None:
    await _start_in_rostock(fake, ANNA, "Lde")
    fake.send_text(ANNA, "Wohnung")
    await fake.next_message_where(ANNA, _has_button(f"core:where:{HOUSING}"))

    fake.send_location(ANNA, 54.0913, 12.1301)  # next door to the housing advice
    nearest = await fake.next_message_where(ANNA, _has_button(f"core:svc:{HOUSING}"))
    assert "Wohnungsberatung Rostock" in nearest.text and "km" in nearest.text

    fake.send_voice(ANNA)
    request = await fake.next_message(ANNA)
    # asked, in German, to write instead, with a way back to the menu
    assert request.text.startswith("Entschuldigung, ich kann nur Text lesen.")
    assert request.buttons == [[("🏠 Menü", "core:menu")]]

    fake.send_text(ANNA, "/delete")
    await fake.next_message_where(ANNA, _has_button("core:delete"))
    fake.press_button(ANNA, "core:delete")
    done = await fake.next_message(ANNA)
    assert done.text.startswith("Erledigt: Ich habe alles gelöscht")
    assert _user(wegweiser, ANNA) is None


async def test_inline_query_offers_cards_in_the_chosen_language(
    fake: FakeTelegramServer, telegram: TelegramAdapter
) -> None:
    query_id = fake.inline_query(KARIM, "deutschkurs rostock uk")
    answer = await fake.inline_answer(query_id)
    results = answer.params["results"]
    assert [result["title"] for result in results] == ["Курси німецької мови <A1> & <B1>"]
    content = results[0]["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert content["message_text"].startswith("<b>Курси німецької мови &lt;A1&gt; &amp;")
    [[button]] = results[0]["reply_markup"]["inline_keyboard"]
    assert button["url"] == f"https://t.me/wegweiser_test_bot?start=LukS{COURSES}"
    assert answer.params["is_personal"] is True


async def test_inline_query_uses_the_app_language_and_admits_when_nothing_fits(
    fake: FakeTelegramServer, telegram: TelegramAdapter
) -> None:
    fake.set_language(KARIM, "ar")
    found = await fake.inline_answer(fake.inline_query(KARIM, "Deutschkurs"))
    assert [r["title"] for r in found.params["results"]] == ["دورات اللغة الألمانية <A1> & <B1>"]

    nothing = await fake.inline_answer(fake.inline_query(KARIM, "xylophon"))
    assert nothing.params["results"] == []
    assert nothing.params["button"]["start_parameter"] == "Lar"
    assert nothing.params["button"]["text"].startswith("لم يتم العثور")


async def test_retry_after_in_a_conversation_delivers_the_answer_once(
    fake: FakeTelegramServer, telegram: TelegramAdapter
) -> None:
    await _start_in_rostock(fake, ANNA, "Lde")
    fake.fail_next("retry_after", method="sendMessage", chat_id=ANNA, retry_after=1)
    fake.send_text(ANNA, "Deutschkurs")
    card = await fake.next_message(ANNA, timeout=10)
    assert card.text.startswith("Deutschkurse <A1> & <B1>")
    await fake.wait_until(lambda: not fake.updates)
    cards = [m for m in fake.messages_to(ANNA) if m.text.startswith("Deutschkurse <A1>")]
    assert len(cards) == 1
    assert fake.unread(ANNA) == []


async def test_a_reminder_to_a_user_who_blocked_the_bot_is_recorded_once(
    fake: FakeTelegramServer, wegweiser: Wegweiser, telegram: TelegramAdapter
) -> None:
    await _start_in_rostock(fake, ANNA, "Lde")
    fake.block(ANNA)
    with pytest.raises(DeliveryError):
        await wegweiser.outbox.send("telegram", str(ANNA), Reply.text("Ihr Kurs beginnt morgen."))
    user = _user(wegweiser, ANNA)
    assert user is not None and user.blocked
