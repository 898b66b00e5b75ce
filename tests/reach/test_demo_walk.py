"""The demo in every town and every launch language, walked through the terminal adapter: no
topic ends without someone the person can reach."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from bot.adapters.terminal import TerminalAdapter, render
from bot.app import build_app
from bot.clock import FakeClock
from bot.core.lexicon import CRISIS
from bot.core.messages import Reply
from bot.i18n import translator
from bot.settings import Settings
from services_catalog.languages import LAUNCH_LANGUAGES
from services_catalog.queries import regions, topic_names
from tests import helpers

DEMO = Path(__file__).resolve().parents[2] / "services_catalog" / "demo"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
CONTACT = re.compile(
    r"https?://\S+"  # a website, online counselling or appointment page
    r"|\S+@\S+\.\w+"  # an e-mail address
    r"|(?:\+49 ?|0)\d[\d ]{4,}|116 ?\d{3}"  # a phone number, a European helpline
)
AGE = "30"


def reaches_someone(text: str) -> bool:
    """A contact, or a street address with opening hours."""
    return bool(CONTACT.search(text)) or ("📍" in text and "🕘" in text)


class Walker:
    """One person at the terminal, typing what the last answer's numbered options offer."""

    def __init__(self, adapter: TerminalAdapter, output: io.StringIO) -> None:
        self.replies: list[Reply] = []
        self.script: list[str] = []
        self.adapter, self.output = adapter, output
        send = adapter.send

        async def record(chat_id: str, reply: Reply) -> None:
            self.replies.append(reply)
            await send(chat_id, reply)

        adapter.send = record  # type: ignore[method-assign]

    def number_of(self, value: str) -> str | None:
        options = self.replies[-1].options if self.replies else []
        found = [index for index, option in enumerate(options, start=1) if option.value == value]
        return str(found[0]) if found else None

    def choose(self, value: str) -> str:
        """The number that picks ``value`` from the last answer; the next answer is recorded
        alone."""
        number = self.number_of(value)
        assert number is not None, f"{value} was not offered"
        self.replies.clear()
        return number


def _lines(
    walker: Walker, slug: str, topics: list[str], age_question: str, problems: list[str]
) -> Iterator[str]:
    """What the person types: the town, then every topic from the menu; a list's every card."""
    yield walker.number_of(f"core:region:{slug}") or slug
    for topic in topics:
        yield "/menu"
        yield walker.choose(f"core:topic:{topic}")
        if any(reply.plain_text.startswith(age_question) for reply in walker.replies):
            walker.replies.clear()
            yield AGE  # the age-split topics ask once
        answer = "\n".join(render(reply) for reply in walker.replies)
        if reaches_someone(answer):
            continue
        cards = [o.value for o in walker.replies[-1].options if o.value.startswith("core:svc:")]
        if not cards:
            problems.append(f"{slug} {topic}: {answer[:300]!r}")
            continue
        for card in cards:
            yield "/menu"
            yield walker.choose(f"core:topic:{topic}")
            yield walker.choose(card)
            shown = "\n".join(render(reply) for reply in walker.replies)
            if not reaches_someone(shown):
                problems.append(f"{slug} {topic} {card}: {shown[:300]!r}")


async def test_every_topic_in_every_town_and_language_reaches_someone(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    helpers.load_catalogue(sqlite_engine, DEMO, NOW)
    app = build_app(Settings(data_dir=tmp_path), clock=FakeClock(NOW), engine=sqlite_engine)
    with Session(sqlite_engine) as session:
        towns = [region.slug for region in regions(session)]
        topics = [slug for slug in topic_names(session, None) if slug != CRISIS]
    assert len(towns) == 4 and len(topics) == 12
    problems: list[str] = []
    walked = 0
    for lang in LAUNCH_LANGUAGES:
        for slug in towns:
            output = io.StringIO()
            adapter = TerminalAdapter(
                app.conversation, output=output, user_id=f"{lang}-{slug}", language_code=lang
            )
            walker = Walker(adapter, output)
            question = translator(lang).gettext(
                "Some services here are for certain ages only. How old are you? "
                "Please write a number, for example 25."
            )
            await adapter.run(_lines(walker, slug, topics, question, problems))
            walked += output.getvalue().count("\n> /menu\n")
    assert walked >= len(LAUNCH_LANGUAGES) * len(towns) * len(topics)
    assert not problems, f"{len(problems)} dead ends:\n" + "\n".join(problems)
