"""The council report survives what a counter row may hold: unknown languages, planted text."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import Engine

from bot.monitoring.counters import increment
from bot.monitoring.models import Metric
from bot.monitoring.render import render
from bot.monitoring.report import build_report
from services_catalog.db import session_scope

DAY = date(2026, 12, 2)
PLANTED = "<img src=x onerror=alert(1)> [call me](http://evil.example) *Anna* | 0171"


def _count(engine: Engine, metric: Metric, times: int, **dimensions: str) -> None:
    with session_scope(engine) as session:
        increment(session, DAY, metric, by=times, **dimensions)


def _report(engine: Engine, lang: str = "en"):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return build_report(session, date(2026, 11, 30), date(2026, 12, 6), DAY, lang=lang)


def test_languages_babel_has_no_locale_for_are_shown_by_code_and_name(engine: Engine) -> None:
    for code in ("rom", "arz", "xx"):
        _count(engine, Metric.INTERPRETER_REQUESTED, 6, lang=code, region="rostock")
    expected = {
        "en": {"Romany (rom)", "Egyptian Arabic (arz)", "xx"},
        "de": {"Romani (rom)", "Ägyptisches Arabisch (arz)", "xx"},
        "ar": {"الغجرية (rom)", "arz", "xx"},  # CLDR names no Egyptian Arabic in Arabic
    }
    for lang, labels in expected.items():
        data = _report(engine, lang)
        table = next(table for table in data.tables if table.name == "interpreters")
        assert {row.label for row in table.rows} == labels
        for fmt in ("md", "csv", "html"):
            assert "(rom)" in render(data, fmt)


def test_planted_text_in_counter_rows_is_printed_harmlessly(engine: Engine) -> None:
    _count(engine, Metric.QUESTION, 7, topic=PLANTED, lang="de", region=PLANTED)
    _count(engine, Metric.UNMET_NEED, 7, topic=PLANTED, region=PLANTED)
    _count(engine, Metric.UNMET_NEED, 6, topic="housing", region='=HYPERLINK("http://evil")')
    data = _report(engine)

    markdown = render(data, "md")
    assert "<img" not in markdown and "&lt;img" in markdown
    assert "[call me](" not in markdown and "\\[call me\\]" in markdown
    assert "*Anna*" not in markdown and "\\*Anna\\*" in markdown
    assert "\\| 0171" in markdown  # a planted pipe cannot open a table cell

    html = render(data, "html")
    assert "<img" not in html and "&lt;img" in html

    rows = list(csv.reader(io.StringIO(render(data, "csv"))))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert any(cell == '\'=HYPERLINK("http://evil")' for cell in cells)
