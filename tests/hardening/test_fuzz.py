"""Random, real and forged input through each platform's message model: nothing breaks.

Each example is one person writing five messages over the terminal, Telegram or Matrix, built
the way the adapter builds them (Telegram and Matrix through their update translation). Texts
are random Unicode, lexicon and translation words, direction marks, zero-width characters, lone
surrogates, NUL and huge pastes; buttons are the options last shown, mutated, or forged.
Afterwards the database holds nothing forged: counters name only real topics, languages,
regions, services and codes, and no user's state holds a NUL or an unknown value.

``WEGWEISER_FUZZ_MESSAGES`` sets how many messages are sent in all, half on each database
(``make fuzz``: 100,000).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nio import Event
from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram import CallbackQuery, Location, Message, User
from telegram import Chat as TelegramChat

from bot.adapters.matrix.incoming import to_incoming
from bot.adapters.telegram.render import MAX_CALLBACK_DATA, MAX_MESSAGE, split_spans, utf16_length
from bot.adapters.telegram.updates import from_callback, from_message
from bot.adapters.terminal import parse_line
from bot.app import Wegweiser
from bot.core.messages import Incoming, Reply
from bot.interpreter.languages import known_codes
from bot.lotsen.models import ReferralCode
from bot.lotsen.payload import build_payload
from bot.monitoring.models import DailyCount
from bot.settings import LANGUAGES
from bot.storage.models import User as BotUser
from services_catalog.models import Region, Service
from services_catalog.topics import TOPIC_SLUGS
from tests.conftest import DATABASES
from tests.hardening.words import lexicon_words, translation_words
from tests.interpreter.conftest import make_bot
from tests.monitoring.conversations import referral_code

MESSAGES = int(os.environ.get("WEGWEISER_FUZZ_MESSAGES", "800")) // len(DATABASES)
PER_EXAMPLE = 5
PEOPLE = 12
BOT_USERNAME = "wegweiser_test_bot"
MAX_PIECES = 3
"""A reply to one message fits in a few Telegram messages, whatever was sent."""

ODD = [
    "\u200f",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\x00",
    "\ud800",
    "\udfff",
    "\ud83d",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\u0301",
    "ـ",
    "٢",
    "۲",
]
ACTIONS = [
    "lang",
    "region",
    "menu",
    "topic",
    "svc",
    "courses",
    "where",
    "switch",
    "keep",
    "delete",
    "keepdata",
    "sos",
]
FEATURE_BUTTONS = [
    "itp:new",
    "itp:other",
    "itp:lang:ar",
    "itp:kind:ar:doctor",
    "itp:when:ar:doctor:open",
    "itp:send:ar:doctor:open",
    "itp:date:ar:doctor",
    "itp:cancel",
    "itp:list",
    "itp:wd:K7M2Q",
    "itp:wdy:K7M2Q",
    "itp:ans:K7M2Q",
    "lotse:x",
    "rem:sub:x",
    "core:region:lindenau",
    "core:lang:ar",
    "core:topic:interpreter",
    "core:topic:housing",
]
COMMANDS = [
    "/start",
    "/help",
    "/menu",
    "/language",
    "/region",
    "/privacy",
    "/delete",
    "/requests",
    "/reminders",
    "/accept K7M2Q ja",
    "/unknown",
    "1",
    "2",
    "3",
    "12",
]


def _words() -> st.SearchStrategy[str]:
    words = st.sampled_from(lexicon_words() + translation_words())
    return st.lists(words, min_size=1, max_size=6).map(" ".join)


def _texts() -> st.SearchStrategy[str]:
    odd = st.sampled_from(ODD)
    mixed = st.lists(st.one_of(odd, _words(), st.text(max_size=8)), max_size=8).map("".join)
    huge = st.tuples(_words(), st.integers(500, 6000)).map(lambda pair: (pair[0] + " ") * pair[1])
    return st.one_of(
        st.text(max_size=80),
        _words(),
        mixed,
        st.sampled_from(COMMANDS),
        st.tuples(st.sampled_from(COMMANDS), st.text(max_size=20)).map(" ".join),
        huge,
    )


def _buttons() -> st.SearchStrategy[str]:
    forged = st.tuples(
        st.sampled_from(["core", "itp", "lotse", "rem", "", "x"]),
        st.sampled_from([*ACTIONS, "send", "lang", "when", "wd", "ans"]),
        st.lists(st.one_of(st.text(max_size=12), st.sampled_from(ODD)), max_size=4),
    ).map(lambda parts: ":".join([parts[0], parts[1], *parts[2]]))
    return st.one_of(st.sampled_from(FEATURE_BUTTONS), forged, st.text(max_size=70))


@dataclass(frozen=True)
class Step:
    """What the person does: write, press a button (shown, mutated or forged), start, locate."""

    action: str
    text: str = ""
    pick: int = 0


def _steps() -> st.SearchStrategy[Step]:
    return st.one_of(
        st.builds(Step, st.just("text"), _texts()),
        st.builds(Step, st.just("shown"), st.text(max_size=3), st.integers(0, 20)),
        st.builds(
            Step,
            st.just("mutated"),
            st.one_of(st.sampled_from(ODD), st.text(max_size=6)),
            st.integers(0, 20),
        ),
        st.builds(Step, st.just("forged"), _buttons()),
        st.builds(Step, st.just("start"), st.one_of(st.text(max_size=70), st.just("REFERRAL"))),
        st.builds(Step, st.just("location"), st.just(""), st.integers(-200, 200)),
    )


@dataclass
class Figures:
    messages: Counter[str] = field(default_factory=Counter)
    replies: int = 0
    longest_reply: int = 0
    most_pieces: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        total = sum(self.messages.values())
        rate = total / self.seconds if self.seconds else 0.0
        per_platform = ", ".join(f"{name} {count}" for name, count in sorted(self.messages.items()))
        return (
            f"fuzz: {total} messages ({per_platform}), {self.replies} replies, "
            f"longest reply {self.longest_reply} characters in at most {self.most_pieces} "
            f"Telegram messages, {self.seconds:.1f} s, {rate:.0f} messages/s"
        )


class Person:
    """One person on one platform; knows the options the bot showed last."""

    def __init__(self, number: int, platform: str, language_code: str | None) -> None:
        self.platform = platform
        self.number = number
        self.language_code = language_code
        self.shown: list[str] = []

    def incoming(self, step: Step, payload: str) -> Incoming | None:
        if step.action in ("shown", "mutated", "forged"):
            value = step.text
            if step.action != "forged":
                chosen = self.shown[step.pick % len(self.shown)] if self.shown else "core:menu"
                value = chosen if step.action == "shown" else chosen + step.text
            return self._button(value)
        if step.action == "start":
            text = "/start " + (payload if step.text == "REFERRAL" else step.text)
            return self._text(text.strip())
        if step.action == "location":
            return self._location(step.pick / 3, step.pick / 2)
        return self._text(step.text)

    def _telegram_user(self) -> User:
        return User(
            id=1000 + self.number, first_name="Fuzz", is_bot=False, language_code=self.language_code
        )

    def _telegram_message(self, **content: object) -> Message:
        chat = TelegramChat(id=1000 + self.number, type="private")
        return Message(
            message_id=1,
            date=datetime.now(UTC),
            chat=chat,
            from_user=self._telegram_user(),
            **content,
        )  # type: ignore[arg-type]

    def _matrix(self, content: dict[str, object]) -> Incoming | None:
        event = Event.parse_event(
            {
                "event_id": "$e",
                "sender": f"@p{self.number}:example.org",
                "origin_server_ts": 0,
                "type": "m.room.message",
                "content": content,
            }
        )
        return to_incoming(f"!dm{self.number}:example.org", event)

    def _text(self, text: str) -> Incoming | None:
        if self.platform == "telegram":
            return from_message(self._telegram_message(text=text), BOT_USERNAME)
        if self.platform == "matrix":
            return self._matrix({"msgtype": "m.text", "body": text})
        return parse_line(text, f"t{self.number}", self.language_code)

    def _button(self, value: str) -> Incoming | None:
        if self.platform == "telegram":
            # Telegram's JSON may escape a lone surrogate; the data is cut to what it allows.
            query = CallbackQuery(
                id="q",
                from_user=self._telegram_user(),
                chat_instance="c",
                data=value[:MAX_CALLBACK_DATA],
                message=self._telegram_message(text="x"),
            )
            return from_callback(query)
        # Matrix and the terminal have no buttons: a button is its number in the list shown.
        number = (self.shown.index(value) + 1) if value in self.shown else len(self.shown) + 7
        return self._text(str(number))

    def _location(self, latitude: float, longitude: float) -> Incoming | None:
        if self.platform == "telegram":
            return from_message(
                self._telegram_message(location=Location(longitude, latitude)), BOT_USERNAME
            )
        if self.platform == "matrix":
            return self._matrix(
                {"msgtype": "m.location", "body": "here", "geo_uri": f"geo:{latitude},{longitude}"}
            )
        return parse_line(f"/location {latitude} {longitude}", f"t{self.number}", None)


def _check_reply(replies: list[Reply], figures: Figures) -> None:
    assert replies, "every message gets an answer"
    for reply in replies:
        text = reply.plain_text
        assert text.strip() or reply.options or reply.venue or reply.attachment
        pieces = split_spans(reply.spans)
        assert all(utf16_length("".join(s.text for s in piece)) <= MAX_MESSAGE for piece in pieces)
        assert len(pieces) <= MAX_PIECES, len(pieces)
        for option in reply.options:
            assert len(option.value.encode("utf-8")) <= MAX_CALLBACK_DATA, option.value
            assert "\x00" not in option.value and "\x00" not in option.label
        text.encode("utf-8")  # no lone surrogate can reach a platform
        figures.longest_reply = max(figures.longest_reply, len(text))
        figures.most_pieces = max(figures.most_pieces, len(pieces))
    figures.replies += len(replies)


async def _drive(
    app: Wegweiser, person: Person, steps: list[Step], payload: str, figures: Figures
) -> None:
    for step in steps:
        message = person.incoming(step, payload)
        if message is None:  # what the adapter itself ignores (another bot's command, …)
            continue
        figures.messages[person.platform] += 1
        replies = await app.conversation.handle(message)
        _check_reply(replies, figures)
        person.shown = [option.value for option in replies[-1].options]


def _check_database(engine: Engine) -> None:
    with Session(engine) as session:
        regions = set(session.exec(select(Region.slug)))
        services = set(session.exec(select(Service.id)))
        codes = set(session.exec(select(ReferralCode.code)))
        languages = set(LANGUAGES) | known_codes()
        for row in session.exec(select(DailyCount)):
            assert row.topic in {"", *TOPIC_SLUGS}, row
            assert row.lang in {"", *languages}, row
            assert row.region in {"", *regions}, row
            assert row.service_id in {"", *services}, row
            assert row.referral_code in {"", *codes}, row
        for user in session.exec(select(BotUser)):
            assert user.language in {None, *LANGUAGES}
            assert user.region_slug in {None, *regions}
            state = json.dumps(user.state or {}, ensure_ascii=False)
            assert "\x00" not in state and "\\u0000" not in state
            state.encode("utf-8")
            assert (user.state or {}).get("topic") in {None, *TOPIC_SLUGS}
            assert set((user.state or {}).get("kept") or []) <= set(LANGUAGES)


@pytest.fixture
def fuzzed_app(engine: Engine, tmp_path: Path) -> Wegweiser:
    return make_bot(engine, tmp_path).app


def test_fuzzed_messages_break_nothing(fuzzed_app: Wegweiser, engine: Engine) -> None:
    payload = build_payload(referral_code=referral_code(engine, "Fuzz", region="lindenau"))
    figures = Figures()
    platforms = ("terminal", "telegram", "matrix")

    @settings(
        max_examples=max(1, MESSAGES // PER_EXAMPLE),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.integers(0, PEOPLE - 1),
        st.sampled_from([None, "de", "ar", "fa-IR", "uk", "x" * 40, "\x00", "pt-BR"]),
        st.lists(_steps(), min_size=PER_EXAMPLE, max_size=PER_EXAMPLE),
    )
    def one_person(number: int, language_code: str | None, steps: list[Step]) -> None:
        person = Person(number, platforms[number % 3], language_code)
        asyncio.run(_drive(fuzzed_app, person, steps, payload, figures))

    started = time.perf_counter()
    one_person()
    figures.seconds = time.perf_counter() - started
    print(figures)
    assert sum(figures.messages.values()) >= MESSAGES * 0.8
    _check_database(engine)
