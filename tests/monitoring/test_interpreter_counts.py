"""Interpreter requests made in real conversations reach the council report: per language an
interpreter was needed for and per region, with small counts hidden in every format."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from bot.core.messages import Kind
from bot.monitoring.render import render
from bot.monitoring.report import Report, build_report
from services_catalog.db import session_scope
from tests.interpreter.conftest import Bot, make_bot

DAY = date(2026, 3, 2)  # the interpreter fixture's clock
TITLE = "Interpreter requests per language and region"


async def request_in_hafenstadt(bot: Bot, user: str, language: str) -> None:
    person = bot.person(user)
    await person.send(Kind.START)
    await person.press("core:region:hafenstadt")
    await person.press("itp:new")
    await person.press(f"itp:lang:{language}")
    await person.press(f"itp:kind:{language}:authority")
    await person.press(f"itp:when:{language}:authority:open")
    await person.press(person.option("✅"))


def report(engine: Engine, lang: str = "en", region: str | None = None) -> Report:
    with session_scope(engine) as session:
        return build_report(session, DAY, DAY, DAY, region=region, lang=lang)


def table(data: Report) -> dict[str, tuple[str, ...]]:
    found = next(table for table in data.tables if table.name == "interpreters")
    assert found.title == TITLE or data.lang != "en"
    return {row.label: row.cells for row in (*found.rows, *([found.total] if found.total else []))}


async def test_interpreter_requests_per_language_and_region(engine: Engine, tmp_path: Path) -> None:
    bot = make_bot(engine, tmp_path)
    for number in range(7):
        await bot.request(bot.person(f"a{number}"), "ar", "doctor", "2026-03-03")
    for number in range(2):
        await bot.request(bot.person(f"t{number}"), "ti", "counselling", "this_week")
    for number in range(6):
        await request_in_hafenstadt(bot, f"h{number}", "uk")
    # a second press of "send" is the same request and counts once
    await bot.person("a0").press("itp:send:ar:doctor:2026-03-03")
    assert len(bot.requests()) == 15

    data = report(engine)
    assert dict(data.summary)["Interpreter requests"] == "15"
    # the 2 Tigrinya requests are hidden, and so are larger counts from which they could be
    # worked out (15 − 6 Ukrainian − 7 Arabic); the regions are the columns
    assert table(data) == {
        "Arabic": ("0", "≥5", "≥5"),
        "Tigrinya": ("0", "<5", "<5"),
        "Ukrainian": ("≥5", "0", "≥5"),
        "Total": ("≥5", "≥5", "15"),
    }
    rows = list(csv.DictReader(io.StringIO(render(data, "csv"))))
    tigrinya = {
        r["Column"]: r["Value"] for r in rows if r["Section"] == TITLE and r["Row"] == "Tigrinya"
    }
    assert tigrinya == {"Hafenstadt": "0", "Lindenau": "<5", "Total": "<5"}
    assert not any(r["Value"] in {"1", "2", "3", "4"} for r in rows)
    markdown = render(data, "md")
    assert f"## {TITLE}" in markdown and "| Tigrinya | 0 | <5 | <5 |" in markdown
    html = render(data, "html")
    assert '<section id="interpreters">' in html and "<td>Tigrinya</td>" in html

    german = report(engine, lang="de", region="hafenstadt")
    assert dict(german.summary)["Anfragen nach Sprachmittlung"] == "6"
    assert table(german) == {"Ukrainisch": ("6", "6"), "Summe": ("6", "6")}
