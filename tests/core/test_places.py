"""Where someone lives, told by postcode or by a shared location, on the demo catalogue; and the
nearest services first where the catalogue gives only an address's postcode."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.core.messages import GeoPoint, Kind
from bot.settings import Settings
from tests import helpers
from tests.core.conftest import Chat

DEMO = Path(__file__).resolve().parents[2] / "services_catalog" / "demo"
NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def demo(engine: Engine, tmp_path: Path) -> Wegweiser:
    helpers.load_catalogue(engine, DEMO, NOW)
    return build_app(Settings(data_dir=tmp_path), clock=FakeClock(NOW), engine=engine)


async def asked_where(app: Wegweiser, lang: str = "en") -> Chat:
    chat = Chat(app, "u1", lang)
    await chat.say("/start")
    assert (
        "Where do you live? Please choose your town or district, or write your postcode."
        in chat.text
    )
    return chat


@pytest.mark.parametrize(
    ("typed", "town"),
    [
        ("18055", "Hanse- und Universitätsstadt Rostock"),
        ("56068", "Stadt Koblenz"),
        ("my postcode is 27568", "Bremerhaven"),
        ("36251 Bad Hersfeld", "Landkreis Hersfeld-Rotenburg"),
    ],
)
async def test_a_postcode_finds_its_region(demo: Wegweiser, typed: str, town: str) -> None:
    chat = await asked_where(demo)
    await chat.say(typed)
    assert f"Your town: {town}." in chat.text


async def test_a_postcode_outside_every_region_names_the_nearest_one(demo: Wegweiser) -> None:
    chat = await asked_where(demo)
    await chat.say("18435")  # Stralsund, about 70 km from Rostock
    assert "does not cover this place yet" in chat.text
    assert "The nearest place I know is Hanse- und Universitätsstadt Rostock, about" in chat.text
    assert "core:region:rostock" in chat.options


async def test_a_shared_location_answers_the_region_question(demo: Wegweiser) -> None:
    chat = await asked_where(demo)
    assert chat.replies[-1].location_hint
    await chat.send(Kind.LOCATION, location=GeoPoint(50.3569, 7.5890))  # Koblenz, Altstadt
    assert "Your town: Stadt Koblenz." in chat.text

    other = Chat(demo, "u2", "de")
    await other.say("/start")
    await other.send(Kind.LOCATION, location=GeoPoint(52.5200, 13.4050))  # Berlin
    assert "nicht für diesen Ort" in other.text or "noch nicht" in other.text
    assert "Der nächste Ort, den ich kenne, ist" in other.text


async def test_services_with_only_a_postcode_are_sorted_by_distance(
    engine: Engine, tmp_path: Path
) -> None:
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    (catalogue / "musterkreis.yaml").write_text(
        """
region: {slug: musterkreis, name: Musterkreis}
services:
  - id: musterkreis-beratung-nord
    topics: [migration_counselling]
    title: {de: Beratung Nord}
    address: {street: Hauptstraße 1, postcode: "18055", city: Rostock}
    source: test
  - id: musterkreis-beratung-sued
    topics: [migration_counselling]
    title: {de: Beratung Süd}
    address: {street: Marktplatz 1, postcode: "56068", city: Koblenz}
    source: test
""",
        encoding="utf-8",
    )
    helpers.load_catalogue(engine, catalogue, NOW)
    app = build_app(Settings(data_dir=tmp_path), clock=FakeClock(NOW), engine=engine)
    chat = Chat(app, "u1", "en")
    await chat.say("/start")
    await chat.press("core:region:musterkreis")
    await chat.press("core:topic:migration_counselling")
    assert chat.replies[-1].location_hint  # each platform offers a location its own way
    await chat.send(Kind.LOCATION, location=GeoPoint(50.38, 7.5947))  # 3 km north of 56068
    assert chat.options[0] == "core:svc:musterkreis-beratung-sued"
    assert "Beratung Süd — Koblenz — about 3 km away" in chat.text
    assert "about 5" in chat.text.split("Beratung Nord")[1]  # hundreds of km: "about 5xx km"
    await chat.press("core:svc:musterkreis-beratung-sued")
    assert "Show on map" not in " ".join(chat.labels)  # a postcode's middle is no address on a map
