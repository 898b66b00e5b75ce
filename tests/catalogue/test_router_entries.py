"""Service names the router learns from the demo catalogue: abbreviations yes, words in capitals no.

The demo catalogue has the titles that caused trouble: "MY TURN – Frauen mit
Migrationshintergrund starten durch" and "Frauen gestalten ihr Leben (IN VIA Rostock e.V.)".
"""

from __future__ import annotations

import pytest
from alembic import command
from sqlmodel import Session

from bot.core.router import Router
from services_catalog.db import alembic_config, make_engine
from services_catalog.importer import import_path
from services_catalog.queries import router_entries
from tests.catalogue.conftest import DEMO_CATALOGUE


@pytest.fixture(scope="module")
def demo_entries(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """The demo catalogue's router entries, read once; the engine does not matter here."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    import_path(engine, DEMO_CATALOGUE)
    with Session(engine) as session:
        entries = router_entries(session)
    engine.dispose()
    return entries


@pytest.fixture(scope="module")
def demo_router(demo_entries: list[tuple[str, str]]) -> Router:
    return Router.from_locales(extra=demo_entries)


def test_abbreviations_a_title_defines_are_entries(demo_entries: list[tuple[str, str]]) -> None:
    entries = set(demo_entries)
    for entry in [
        ("migration_counselling", "MBE"),
        ("youth_migration", "JMD"),
        ("psychosocial", "PSZ"),
        ("work", "IFDM"),
        ("residence", "BAMF"),
        ("childcare_school", "DaZ"),
    ]:
        assert entry in entries


def test_words_in_capitals_and_other_parentheses_are_no_entries(
    demo_entries: list[tuple[str, str]],
) -> None:
    phrases = {phrase for _, phrase in demo_entries}
    assert not {"MY", "TURN", "IN", "VIA", "AWO", "DRK", "Groß Klein", "Gesundheit"} & phrases
    assert "Migrationsberatung für Erwachsene (MBE) – AWO" in phrases  # whole titles stay


@pytest.mark.parametrize(
    "text",
    [
        "Is it my turn now?",
        "my turn",
        "I came to Germany via Poland",
        "Ich bin via Prag gekommen",
        "Wir wohnen in Groß Klein",
    ],
)
def test_everyday_words_from_service_names_pull_no_topic(demo_router: Router, text: str) -> None:
    result = demo_router.route(text)
    assert (result.topic, result.alternatives) == (None, ())


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("MBE", "migration_counselling"),
        ("JMD", "youth_migration"),
        ("PSZ", "psychosocial"),
        ("Wo ist das IFDM?", "work"),
        ("Termin beim IFDM", "work"),
    ],
)
def test_abbreviations_route_to_their_service_topics(
    demo_router: Router, text: str, topic: str
) -> None:
    assert demo_router.route(text).topic == topic
