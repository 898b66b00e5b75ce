"""The report on Telegram: the real python-telegram-bot Application against the fake Bot API
server; the buttons fit Telegram's limits and a German note arrives in the report as written."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select

from bot.adapters.telegram import TelegramAdapter
from bot.app import Wegweiser
from bot.feedback.models import EntryReport
from services_catalog.db import session_scope
from tests.servers.fake_telegram import FakeTelegramServer, SentMessage
from tests.telegram.conftest import (  # noqa: F401 (fixtures)
    catalogue_engine,
    fake,
    settings,
    telegram,
    wegweiser,
)

PERSON = 2001
HOUSING = "rostock-wohnen"


def _has_button(value: str) -> Callable[[SentMessage], bool]:
    return lambda message: value in [v for row in message.buttons for _, v in row]


async def test_a_report_and_its_note_on_telegram(
    fake: FakeTelegramServer,  # noqa: F811 (the fixtures imported above)
    wegweiser: Wegweiser,  # noqa: F811
    telegram: TelegramAdapter,  # noqa: F811
) -> None:
    fake.send_start(PERSON, "Lde")
    await fake.next_message_where(PERSON, _has_button("core:region:rostock"))
    fake.press_button(PERSON, "core:region:rostock")
    await fake.next_message_where(PERSON, _has_button("core:topic:language_course"))
    fake.send_text(PERSON, "Wohnung")
    card = await fake.next_message_where(PERSON, _has_button(f"fb:new:{HOUSING}"))
    assert "⚠️ Hier stimmt etwas nicht" in card.button_labels

    fake.press_option(PERSON, "⚠️ Hier stimmt etwas nicht")
    question = await fake.next_message_where(PERSON, _has_button(f"fb:why:moved:{HOUSING}"))
    assert "Die Telefonnummer stimmt nicht" in question.button_labels
    fake.press_option(PERSON, "Es ist umgezogen")
    await fake.next_message_where(PERSON, _has_button("fb:done"))
    fake.send_text(PERSON, "Jetzt in der Lange Straße 5 <b>")
    thanks = await fake.next_message_where(PERSON, lambda m: "Notiz" in m.text)
    assert thanks.text == "Vielen Dank, Ihre Notiz wurde hinzugefügt."

    with session_scope(wegweiser.engine) as session:
        [report] = session.exec(select(EntryReport)).all()
        assert (report.entry_id, report.reason, report.note) == (
            HOUSING,
            "moved",
            "Jetzt in der Lange Straße 5 <b>",
        )
