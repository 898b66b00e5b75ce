"""The router's indexes are built once per catalogue change, never per message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.app import Wegweiser
from bot.clock import FakeClock
from bot.core.router import Router
from services_catalog.db import session_scope
from services_catalog.importer import bump_revision
from services_catalog.models import CatalogueText, Service
from tests.core.conftest import Chat


async def test_router_is_rebuilt_only_when_the_catalogue_changes(
    app: Wegweiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[int] = []
    original = Router.from_locales.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Router], *args: object, **kwargs: object) -> Router:
        builds.append(1)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(Router, "from_locales", classmethod(counting))
    chat = Chat(app, language_code="en")
    await chat.start()
    await chat.press("core:region:rostock")
    for text in ("german course", "PSZ", "what's the weather", "MBE"):
        await chat.say(text)
    assert len(builds) == 1
    with session_scope(app.engine) as session:
        bump_revision(session, datetime(2026, 12, 2, tzinfo=UTC))
    await chat.say("german course")
    await chat.say("PSZ")
    assert len(builds) == 2


async def test_service_abbreviations_from_the_catalogue_are_understood(app: Wegweiser) -> None:
    chat = Chat(app, language_code="en")
    await chat.start()
    await chat.press("core:region:rostock")
    # An abbreviation no keyword list knows: only the catalogue's title can teach it.
    assert (await chat.say("JUMRO")).startswith("Sorry, I did not understand that.")
    with session_scope(app.engine) as session:
        _abbreviate_the_jmd_as_jumro(session)
        bump_revision(session, datetime(2026, 12, 2, tzinfo=UTC))
    text = await chat.say("JUMRO")
    assert "How old are you?" in text  # the JMD's topic, whose services split by age
    assert (await chat.say("20")).startswith("Youth migration service Rostock (JMD)")


async def test_a_service_whose_funding_ended_is_forgotten_the_next_day(
    app: Wegweiser, clock: FakeClock
) -> None:
    chat = Chat(app, language_code="en")
    await chat.start()
    await chat.press("core:region:rostock")
    with session_scope(app.engine) as session:
        _abbreviate_the_jmd_as_jumro(session)
        service = session.get(Service, "rostock-jmd")
        assert service is not None
        service.valid_until = clock.now().date()
        bump_revision(session, clock.now())
    assert "How old are you?" in await chat.say("JUMRO")
    await chat.say("/menu")
    clock.advance(timedelta(days=1))  # no catalogue change: only the date moves on
    assert (await chat.say("JUMRO")).startswith("Sorry, I did not understand that.")


def _abbreviate_the_jmd_as_jumro(session: Session) -> None:
    """Give the JMD's German title an abbreviation no keyword list knows."""
    title = session.exec(
        select(CatalogueText).where(
            CatalogueText.owner_id == "rostock-jmd",
            CatalogueText.field == "title",
            CatalogueText.lang == "de",
        )
    ).one()
    title.text = "Jugendmigrationsdienst Rostock (JUMRO)"
