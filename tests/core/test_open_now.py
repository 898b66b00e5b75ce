"""“Open now, closes at 16:00”: from the weekly hours, in the region's time zone, with the public
holidays of the region's Land — and nothing said when the catalogue does not know."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.app import build_app
from bot.clock import FakeClock
from bot.core.dialogue.open_now import status
from bot.i18n import translator
from bot.settings import Settings
from tests import helpers

WEEKDAYS = {day: ["09:00-12:00", "13:00-16:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
HOURS = {**WEEKDAYS, "sat": "closed", "sun": "closed"}
BERLIN = "Europe/Berlin"


def say(
    now: datetime, state: str | None = "MV", hours: dict | None = None, lang: str = "en"
) -> str | None:
    said = status(HOURS if hours is None else hours, now, BERLIN, state, translator(lang))
    return said.replace("\u202f", " ") if said else said  # Babel puts a narrow space before AM


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_open_and_closed_during_the_day() -> None:
    assert say(utc(2027, 3, 3, 8, 30)) == "Open now, closes at 12:00 PM."  # Wed 09:30 CET
    assert say(utc(2027, 3, 3, 11, 30)) == "Closed now, opens today at 1:00 PM."  # lunch break
    assert say(utc(2027, 3, 3, 17, 0)) == "Closed now, opens tomorrow at 9:00 AM."
    assert say(utc(2027, 3, 3, 8, 30), lang="de") == "Jetzt geöffnet, schließt um 12:00."


def test_the_weekend_points_to_monday() -> None:
    assert say(utc(2027, 3, 13, 10, 0)) == "Closed now, opens Monday at 9:00 AM."  # Saturday
    assert (
        say(utc(2027, 3, 13, 10, 0), lang="de") == "Jetzt geschlossen, öffnet am Montag um 09:00."
    )


def test_local_time_follows_the_daylight_saving_change() -> None:
    # 07:30 UTC is 08:30 in winter (before opening) and 09:30 in summer (open), either side of
    # Sunday 28 March 2027 (Tuesdays: the Monday after is Easter Monday).
    assert say(utc(2027, 3, 23, 7, 30)) == "Closed now, opens today at 9:00 AM."
    assert say(utc(2027, 3, 30, 7, 30)) == "Open now, closes at 12:00 PM."
    assert say(utc(2027, 3, 29, 7, 30)).startswith("Closed today (public holiday)")


def test_public_holidays_follow_the_land() -> None:
    womens_day = utc(2027, 3, 8, 9, 0)  # Monday; a public holiday in Mecklenburg-Vorpommern only
    assert say(womens_day, "MV") == "Closed today (public holiday), opens tomorrow at 9:00 AM."
    assert say(womens_day, "RP") == "Open now, closes at 12:00 PM."
    corpus_christi = utc(2027, 5, 27, 9, 0)  # Thursday; a holiday in Rhineland-Palatinate, Hesse
    assert say(corpus_christi, "RP").startswith("Closed today (public holiday)")
    assert say(corpus_christi, "HE").startswith("Closed today (public holiday)")
    assert say(corpus_christi, "MV") == "Open now, closes at 12:00 PM."
    assert say(corpus_christi, "HB") == "Open now, closes at 12:00 PM."
    # Friday evening before a holiday Monday: the next opening is Tuesday.
    assert say(utc(2027, 3, 5, 17, 0), "MV") == "Closed now, opens Tuesday at 9:00 AM."
    assert say(utc(2027, 3, 5, 17, 0), "RP") == "Closed now, opens Monday at 9:00 AM."


def test_unknown_days_are_never_taken_as_closed() -> None:
    only_monday = {"mon": ["09:00-12:00"]}
    assert say(utc(2027, 3, 3, 9, 0), hours=only_monday) is None  # Wednesday: not given
    assert say(utc(2027, 3, 1, 13, 0), hours=only_monday) == "Closed now."  # Tuesday unknown
    assert say(utc(2027, 3, 1, 9, 0), hours={}) is None
    assert say(utc(2027, 3, 1, 9, 0), hours={"by_appointment": True}) is None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Open now, closes at 12:00 PM."),
        ("ar", "مفتوح الآن، يغلق الساعة"),
        ("uk", "Зараз відчинено"),
    ],
)
async def test_the_card_says_whether_the_service_is_open_now(
    engine: Engine, tmp_path: Path, lang: str, expected: str
) -> None:
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    (catalogue / "musterstadt.yaml").write_text(
        """
region: {slug: musterstadt, name: Musterstadt, state: MV}
services:
  - id: musterstadt-beratung
    topics: [migration_counselling]
    title: {de: Migrationsberatung Musterstadt}
    opening_hours:
      mon: ["09:00-12:00", "13:00-16:00"]
      tue: ["09:00-12:00", "13:00-16:00"]
      wed: ["09:00-12:00", "13:00-16:00"]
      thu: ["09:00-12:00", "13:00-16:00"]
      fri: ["09:00-12:00", "13:00-16:00"]
      sat: closed
      sun: closed
    source: test
""",
        encoding="utf-8",
    )
    clock = FakeClock(utc(2027, 3, 3, 8, 30))
    helpers.load_catalogue(engine, catalogue, clock.now())
    app = build_app(Settings(data_dir=tmp_path), clock=clock, engine=engine)
    chat = helpers.Chat(app, "u1", lang)
    await chat.say("/start")
    await chat.press("core:region:musterstadt")
    await chat.press("core:svc:musterstadt-beratung")
    assert expected in chat.text.replace("\u202f", " ")
    clock.set(utc(2027, 3, 8, 9, 0))  # Women's Day, a holiday in Mecklenburg-Vorpommern
    await chat.press("core:svc:musterstadt-beratung")
    assert expected not in chat.text
