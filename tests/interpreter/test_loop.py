"""The whole loop through the real conversation, on SQLite and PostgreSQL: a request, its arrival
in the coordination chat, a question and its answer, acceptance, withdrawal, raising it again,
closing what has passed, deleting it after the retention time (an accepted one only after its
appointment), and /delete withdrawing what is still open.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.dialogue import users
from bot.core.ports import DeliveryError
from bot.interpreter.models import Delivery, Status
from services_catalog.db import session_scope
from tests.interpreter.conftest import FALLBACK_ROOM, LINDENAU_GROUP, Bot


async def test_request_question_answer_and_acceptance(bot_any_db: Bot) -> None:
    bot = bot_any_db
    person = bot.person()
    reference = await bot.request(person, "ar", "doctor", "2026-03-03")
    assert f"Its reference is {reference}." in person.text

    # it arrives in Lindenau's coordination group, in German, with the three facts only
    [(chat, announced)] = bot.telegram.sent
    assert chat == LINDENAU_GROUP
    assert announced.plain_text.splitlines()[:4] == [
        f"🆕 Neue Anfrage nach Sprachmittlung {reference}",
        "Sprache: Arabisch (العربية)",
        "Termin: Arzt oder Krankenhaus",
        "Wann: Dienstag, 3. März 2026",
    ]
    assert f"/accept {reference}" in announced.plain_text
    assert "p1" not in announced.plain_text and "chat-p1" not in announced.plain_text

    coordinator = bot.coordinator()
    ack = await coordinator.say(f"/ask {reference} Um wie viel Uhr ist der Termin?")
    assert ack == f"✅ {reference}: an die Person weitergegeben."
    question = bot.people.texts("chat-p1")[-1]
    assert f"has a question about your request {reference}" in question
    assert "«Um wie viel Uhr ist der Termin?»" in question

    await person.press(f"itp:ans:{reference}")
    assert "Please write your answer" in person.text
    await person.say("At ten in the morning")
    assert "I passed your answer on" in person.text
    assert "«At ten in the morning»" in bot.telegram.texts(LINDENAU_GROUP)[-1]
    # the person's answer is passed on, never kept
    assert not any("ten in the morning" in reply.text for reply in bot.replies())
    assert bot.requests()[0].status == Status.OPEN

    await coordinator.say(f"/accept {reference} Frau A. wartet um 10 Uhr am Eingang.")
    accepted = bot.people.texts("chat-p1")[-1]
    assert f"the interpreter pool accepted your request {reference}" in accepted
    assert "«Frau A. wartet um 10 Uhr am Eingang.»" in accepted

    listed = await person.say("/requests")
    assert f"{reference}: Arabic, Doctor or hospital, Tuesday, March 3, 2026" in listed
    assert "Accepted. «Frau A. wartet um 10 Uhr am Eingang.»" in listed
    assert person.options[f"Withdraw {reference}"] == f"itp:wd:{reference}"


async def test_withdrawal_reaches_the_coordination(bot_any_db: Bot) -> None:
    bot = bot_any_db
    person = bot.person("p2", "uk")
    reference = await bot.request(person, "uk", "school_kita", "this_week")

    await person.say("/requests")
    await person.press(f"itp:wd:{reference}")
    assert person.options["Так, відкликати"] == f"itp:wdy:{reference}"
    await person.press(f"itp:wdy:{reference}")
    assert person.text.startswith(f"Ваш запит {reference} відкликано.")
    assert bot.telegram.texts(LINDENAU_GROUP)[-1].startswith(
        f"↩️ Die Anfrage {reference} wurde zurückgezogen."
    )
    assert bot.requests()[0].status == Status.WITHDRAWN

    answer = await bot.coordinator().say(f"/accept {reference} Geht klar")
    assert answer == f"Die Person hat die Anfrage {reference} zurückgezogen."
    await person.say("/requests")
    assert person.text == "У вас немає відкритих запитів на перекладача."
    arrived, *after = bot.people.texts("chat-p2")
    assert arrived.startswith(f"Ваш запит {reference} (") and "дійшов до координації" in arrived
    assert after == []  # nothing relayed after the withdrawal


async def test_an_unanswered_request_is_raised_again_after_the_set_hours(bot_any_db: Bot) -> None:
    bot = bot_any_db
    reference = await bot.request(bot.person(), "fa", "authority", "open")
    assert len(bot.telegram.sent) == 1

    bot.clock.advance(timedelta(hours=23, minutes=59))
    assert (await bot.service.run_once()).raised == 0
    bot.clock.advance(timedelta(minutes=1))
    assert (await bot.service.run_once()).raised == 1
    raised = bot.telegram.texts(LINDENAU_GROUP)[-1]
    assert raised.startswith(f"⏰ Noch ohne Antwort: Anfrage nach Sprachmittlung {reference}")
    assert "Sprache: Persisch (فارسی)" in raised
    assert (await bot.service.run_once()).raised == 0  # not again at once

    # a question hands the turn to the person: nobody is reminded while they think
    await bot.coordinator().say(f"/ask {reference} Welches Amt?")
    bot.clock.advance(timedelta(hours=48))
    assert (await bot.service.run_once()).raised == 0


async def test_closed_requests_are_deleted_after_the_retention_time(bot_any_db: Bot) -> None:
    bot = bot_any_db
    reference = await bot.request(bot.person(), "ti", "counselling", "2026-03-05")
    await bot.coordinator().say(f"/decline {reference} Leider niemand frei.")
    declined = bot.people.texts("chat-p1")[-1]
    assert "cannot take your request" in declined and "«Leider niemand frei.»" in declined

    bot.clock.advance(timedelta(days=29, hours=23))
    assert (await bot.service.run_once()).deleted == 0
    bot.clock.advance(timedelta(hours=1))
    assert (await bot.service.run_once()).deleted == 1
    assert bot.requests() == [] and bot.replies() == []
    answer = await bot.coordinator().say(f"/accept {reference} doch")
    assert answer == f"Eine Anfrage {reference} kenne ich nicht. Vielleicht wurde sie gelöscht."


async def test_an_accepted_request_is_kept_until_its_appointment_has_passed(
    bot_any_db: Bot,
) -> None:
    bot = bot_any_db
    person = bot.person()
    reference = await bot.request(person, "ar", "doctor", "2026-05-31")  # 90 days ahead
    coordinator = bot.coordinator()
    await coordinator.say(f"/accept {reference} Frau A. wartet am Eingang.")

    bot.clock.advance(timedelta(days=60))
    assert (await bot.service.run_once()).deleted == 0
    listed = await person.say("/requests")
    assert f"{reference}: Arabic, Doctor or hospital, Sunday, May 31, 2026" in listed
    assert "Accepted. «Frau A. wartet am Eingang.»" in listed
    answer = await coordinator.say(f"/decline {reference} doch nicht")
    assert answer == f"Die Anfrage {reference} wurde schon angenommen."

    # once the day is over it leaves /requests, and goes 30 days after that day in Germany
    bot.clock.set(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
    assert await person.say("/requests") == "You have no open interpreter requests."
    bot.clock.set(datetime(2026, 6, 30, 21, 59, tzinfo=UTC))  # 23:59 in Berlin
    assert (await bot.service.run_once()).deleted == 0
    bot.clock.set(datetime(2026, 6, 30, 22, 0, tzinfo=UTC))
    assert (await bot.service.run_once()).deleted == 1
    assert bot.requests() == [] and bot.replies() == []


async def test_declined_withdrawn_and_undated_requests_go_the_set_days_after_closing(
    bot_any_db: Bot,
) -> None:
    bot = bot_any_db
    person = bot.person()
    coordinator = bot.coordinator()
    declined = await bot.request(person, "ar", "doctor", "2026-05-31")
    await coordinator.say(f"/decline {declined} Leider niemand frei.")
    undated = await bot.request(person, "fa", "authority", "open")
    await coordinator.say(f"/accept {undated} Wir melden uns.")
    withdrawn = await bot.request(person, "uk", "other", "2026-05-30")
    await person.say("/requests")
    await person.press(f"itp:wd:{withdrawn}")
    await person.press(f"itp:wdy:{withdrawn}")
    assert [r.status for r in bot.requests()] == [
        Status.DECLINED,
        Status.ACCEPTED,
        Status.WITHDRAWN,
    ]

    bot.clock.advance(timedelta(days=29, hours=23))
    assert (await bot.service.run_once()).deleted == 0
    bot.clock.advance(timedelta(hours=1))
    assert (await bot.service.run_once()).deleted == 3
    assert bot.requests() == []
    answer = await coordinator.say(f"/accept {declined} doch")
    assert answer == f"Eine Anfrage {declined} kenne ich nicht. Vielleicht wurde sie gelöscht."


async def test_a_request_whose_day_passed_unanswered_is_closed_and_the_person_told(
    bot: Bot,
) -> None:
    reference = await bot.request(bot.person(), "ar", "doctor", "2026-03-03")
    bot.clock.advance(timedelta(days=1))
    assert (await bot.service.run_once()).expired == 0
    bot.clock.advance(timedelta(days=1))
    report = await bot.service.run_once()
    assert (report.expired, report.relayed) == (1, 1)
    told = bot.people.texts("chat-p1")[-1]
    assert f"Your request {reference}" in told and "got no answer in time" in told
    assert bot.requests()[0].status == Status.CLOSED


async def test_an_answer_that_could_not_be_delivered_is_sent_by_the_next_run(bot: Bot) -> None:
    reference = await bot.request(bot.person(), "uk", "other", "next_week")
    bot.people.failures.append(ConnectionError("network down"))
    answer = await bot.coordinator().say(f"/accept {reference} Termin steht.")
    assert answer == f"{reference}: gespeichert; ich gebe es weiter, sobald ich kann."
    assert len(bot.people.texts("chat-p1")) == 1  # only that the request had arrived

    assert (await bot.service.run_once()).relayed == 1
    assert "«Termin steht.»" in bot.people.texts("chat-p1")[-1]
    assert (await bot.service.run_once()).relayed == 0  # exactly once
    # the notice that the request arrived, then the answer
    assert [reply.delivery for reply in bot.replies()] == [Delivery.SENT, Delivery.SENT]


async def test_an_unreachable_person_is_reported_to_the_coordination(bot: Bot) -> None:
    reference = await bot.request(bot.person(), "uk", "other", "next_week")
    bot.people.failures.append(DeliveryError("blocked"))
    answer = await bot.coordinator().say(f"/decline {reference} Niemand frei.")
    assert answer == (
        f"{reference}: gespeichert, aber die Person ist über den Bot nicht mehr erreichbar."
    )
    assert (await bot.service.run_once()).relayed == 0


async def test_the_settings_room_coordinates_a_pool_without_its_own_chat(bot: Bot) -> None:
    person = bot.person("p3", "de")
    await person.send(text="/start")
    await person.press("core:region:hafenstadt")
    await person.press("itp:new")
    assert "hat mir seine Sprachen nicht genannt" in person.text
    assert list(person.options)[:2] == ["Englisch (English)", "Arabisch (العربية)"]
    await person.press("itp:lang:ar")
    await person.press("itp:kind:ar:authority")
    await person.press("itp:when:ar:authority:2026-03-04")
    assert "Die einladende Stelle bestellt und bezahlt." in person.text
    await person.press(person.option("✅"))
    await bot.service.settle()
    [(room, announced)] = bot.matrix.sent
    assert room == FALLBACK_ROOM and "Sprache: Arabisch" in announced.plain_text


async def test_delete_withdraws_open_requests_and_tells_the_coordination(bot_any_db: Bot) -> None:
    bot = bot_any_db
    person = bot.person("p9", "de")
    accepted = await bot.request(person, "ar", "doctor", "2026-03-03")
    coordinator = bot.coordinator()
    await coordinator.say(f"/accept {accepted} Frau A. wartet am Eingang.")
    declined = await bot.request(person, "fa", "authority", "2026-03-04")
    await coordinator.say(f"/decline {declined} Niemand frei.")
    bot.telegram.failures.append(ConnectionError("network down"))  # never reaches the group
    unannounced = await bot.request(person, "uk", "other", "next_week")
    assert [r.announced_at is None for r in bot.requests()] == [False, False, True]
    before = len(bot.telegram.sent)

    await person.say("/delete")
    await person.press("core:delete")
    assert person.text.startswith("Erledigt")
    await bot.service.settle()

    # only the open request the group knows of is withdrawn there, with the three facts only
    [withdrawn] = bot.telegram.texts(LINDENAU_GROUP)[before:]
    assert withdrawn.splitlines() == [
        f"↩️ Die Anfrage {accepted} wurde zurückgezogen. "
        "Es wird keine Sprachmittlung mehr gebraucht.",
        "Sprache: Arabisch (العربية)",
        "Termin: Arzt oder Krankenhaus",
        "Wann: Dienstag, 3. März 2026",
    ]
    assert declined not in withdrawn and unannounced not in withdrawn
    assert "p9" not in withdrawn
    assert bot.requests() == [] and bot.replies() == []
    answer = await coordinator.say(f"/close {accepted}")
    assert answer == f"Eine Anfrage {accepted} kenne ich nicht. Vielleicht wurde sie gelöscht."


async def test_a_deletion_that_failed_tells_the_coordination_nothing(bot: Bot) -> None:
    reference = await bot.request(bot.person(), "ar", "doctor", "2026-03-03")
    before = len(bot.telegram.sent)
    with pytest.raises(RuntimeError), session_scope(bot.app.engine) as session:
        user = users.find(session, "test", "p1")
        assert user is not None
        users.forget(session, user, bot.app.features)
        raise RuntimeError("the turn failed before it committed")
    await bot.service.settle()
    assert len(bot.telegram.sent) == before
    assert [request.reference for request in bot.requests()] == [reference]
