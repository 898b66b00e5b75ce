"""Button values and texts come from the platform and may be forged: nothing forged is used,
stored or counted, and every forged press still gets an answer."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.core.messages import Kind
from bot.lotsen.payload import build_payload
from bot.monitoring.models import DailyCount, Metric
from bot.storage.models import User
from tests.core.conftest import Chat
from tests.hardening.conftest import make_app
from tests.interpreter.conftest import make_bot
from tests.monitoring.conversations import referral_code

STALE = "Sorry, this button no longer works. Here is the menu."
PLANTED = "<img src=x onerror=alert(1)> Anna 0171 2345678"


def _counts(engine: Engine) -> list[DailyCount]:
    with Session(engine) as session:
        return list(session.exec(select(DailyCount)))


def _user(engine: Engine, user_id: str) -> User:
    with Session(engine) as session:
        found = session.exec(select(User).where(User.platform_user_id == user_id)).one()
        return found


async def test_a_forged_topic_is_neither_shown_nor_counted(engine: Engine, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(make_app(engine, clock, tmp_path), language_code="en")
    await chat.start()
    await chat.press("core:region:rostock")
    assert await chat.press(f"core:topic:{PLANTED}") == STALE
    assert await chat.press("core:topic:") == STALE
    assert "who can help in Rostock" in await chat.press("core:topic:language_course")
    topics = {row.topic for row in _counts(engine) if row.metric == Metric.QUESTION.value}
    assert topics == {"language_course"}
    assert PLANTED not in str(_user(engine, chat.user_id).state)


async def test_a_feature_button_that_means_nothing_gets_an_answer(chat: Chat) -> None:
    await chat.start()
    for forged in ("lotse:", "lotse:x:y", "itp:", "itp:lang", "rem:zzz", "nofeature:1"):
        await chat.press(forged)
        assert chat.replies and chat.text.strip(), forged


async def test_nul_and_lone_surrogates_in_text_break_nothing(
    engine: Engine, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(make_app(engine, clock, tmp_path), language_code="de")
    await chat.start()
    assert "Rostock" in await chat.say("Ros\x00tock\ud800")
    user = _user(engine, chat.user_id)
    assert user.region_slug == "rostock"
    for value in (
        "core:region:\x00rostock\udfff",
        "itp:date:ar\x00:doctor",
        "itp:date:ar:doc\ud800",
    ):
        reply = await chat.press(value)
        assert "schiefgegangen" not in reply, value
        assert "\x00" not in str(_user(engine, chat.user_id).state)
    assert "Integrationskurse" in await chat.say("\x00\u200f\u202e Deutschkurs \ud83d")
    reply = await chat.press("core:region")
    assert "schiefgegangen" not in reply
    assert "Rostock" in await chat.say("Rostock")


async def test_a_forged_interpreter_language_is_not_sent_stored_or_counted(
    engine: Engine, tmp_path: Path
) -> None:
    bot = make_bot(engine, tmp_path)
    await bot.service.start()
    try:
        person = bot.person("p1")
        await person.send(Kind.START)
        await person.press("core:region:lindenau")
        for forged in (
            f"itp:send:{PLANTED}:doctor:open",
            "itp:send:ar:<b>x</b>:open",
            f"itp:date:{PLANTED}:doctor",
            f"itp:kind:{PLANTED}:doctor",
        ):
            reply = await person.press(forged)
            assert reply.startswith("Sorry, that button no longer works."), forged
        await person.say("12.03.")
        await bot.service.settle()
        assert bot.requests() == []
        assert bot.telegram.sent == [] and bot.matrix.sent == []
        assert not [row for row in _counts(engine) if row.metric == Metric.INTERPRETER_REQUESTED]
        assert PLANTED not in str(_user(engine, "p1").state)
    finally:
        await bot.service.stop()


async def test_a_referral_link_counts_a_person_once(engine: Engine, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine, clock, tmp_path)
    payload = build_payload(referral_code=referral_code(engine, "Café", region="rostock"))
    for person in ("a", "b"):
        chat = Chat(app, person, "de")
        for _ in range(4):
            await chat.start(payload)
    starts = [
        row for row in _counts(engine) if row.metric == Metric.START.value and row.referral_code
    ]
    assert sum(row.count for row in starts) == 2


async def test_another_pools_chat_cannot_tell_whether_a_reference_exists(
    engine: Engine, tmp_path: Path
) -> None:
    bot = make_bot(engine, tmp_path)
    await bot.service.start()
    try:
        reference = await bot.request(bot.person("p1"))
        other = bot.coordinator("777", chat_id="-100999")  # a group that coordinates nothing
        stranger = Chat(
            bot.app, "eve", "de", platform="matrix", chat_id="!coordination:example.org"
        )
        real = await stranger.say(f"/accept {reference} Ja")
        made_up = await stranger.say("/accept ZZZZZ Ja")
        assert real == made_up.replace("ZZZZZ", reference)
        assert "I do not know a request" in real or "kenne" in real
        assert other  # the group is no coordination chat: the dialogue answers it
        assert [r.status for r in bot.requests()] == ["open"]
    finally:
        await bot.service.stop()


async def test_privacy_tells_that_a_links_code_is_kept(engine: Engine, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine, clock, tmp_path)
    payload = build_payload(referral_code=referral_code(engine, "Café", region="rostock"))
    plain, referred = Chat(app, "plain", "en"), Chat(app, "referred", "en")
    await plain.start()
    await referred.start(payload)
    kept = "I also keep that link's code, so that you are counted only once."
    assert kept not in await plain.say("/privacy")
    assert kept in await referred.say("/privacy")
    await referred.say("/delete")
    await referred.press("core:delete")
    with Session(engine) as session:
        assert session.exec(select(User).where(User.platform_user_id == "referred")).first() is None
