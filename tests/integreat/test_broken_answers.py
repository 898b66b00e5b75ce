"""Answers Integreat should not give (an error page, cut JSON, a changed field type, a server
error, no answer): the import says what and where, and nothing in the catalogue changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from services_catalog.integreat.client import HttpSource
from services_catalog.integreat.fetch import fetch_region
from services_catalog.records import InvalidCatalogue
from tests.catalogue.conftest import dump
from tests.integreat import region
from tests.integreat.server import Fault, IntegreatServer

SLUG = region.REGION
LOCATIONS = f"api/v3/{SLUG}/en/locations/"


def _import(run, server: IntegreatServer, mapping: Path):  # type: ignore[no-untyped-def]
    return run(
        "catalogue", "import", "--from", "integreat", "--region", SLUG,
        "--base-url", server.url, "--mapping", str(mapping),
    )  # fmt: skip


def _changed_type(server: IntegreatServer) -> Fault:
    items = json.loads(json.dumps(server.answers[LOCATIONS]))
    items[1]["location"]["latitude"] = "north"
    return Fault(body=json.dumps(items))


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (
            lambda s: Fault(
                status=200, body="<html><h1>Wartung</h1></html>", content_type="text/html"
            ),
            "an HTML page came back instead of JSON",
        ),
        (
            lambda s: Fault(body=json.dumps(s.answers[LOCATIONS])[:-40]),
            "not valid JSON",
        ),
        (
            _changed_type,
            "location 102: location.latitude: Input should be a valid number",
        ),
        (lambda s: Fault(status=404, body='{"error": "no"}'), "the server answered HTTP 404"),
    ],
    ids=["html-page", "truncated-json", "changed-type", "not-found"],
)
def test_a_broken_answer_changes_nothing_and_says_what_and_where(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine, fault, message: str
) -> None:
    assert _import(run, integreat, mapping_file).exit_code == 0
    for item in integreat.answers[f"api/v3/{SLUG}/de/locations/"]:
        item["phone_number"] = "+49 30 0000000"  # a change that must not arrive
    integreat.faults[LOCATIONS] = fault(integreat)
    before = dump(engine)

    result = _import(run, integreat, mapping_file)

    assert result.exit_code == 1
    assert f"{integreat.url}/{LOCATIONS}" in result.output
    assert message in " ".join(result.output.split())
    assert "nothing was written" in result.output
    assert dump(engine) == before


def _source(server: IntegreatServer, **options: float) -> HttpSource:
    settings = {"timeout": 5.0, "attempts": 3, "backoff": 0.0, "min_interval": 0.0} | options
    return HttpSource(server.url, **settings)  # type: ignore[arg-type]


async def _fetch(source: HttpSource):  # type: ignore[no-untyped-def]
    async with source:
        return await fetch_region(source, SLUG, ["de", "en"])


async def test_a_passing_server_error_is_retried(integreat: IntegreatServer) -> None:
    integreat.faults[LOCATIONS] = Fault(status=503, times=2)

    data = await _fetch(_source(integreat))

    titles = [location.title for location in data.locations["en"]]
    assert titles[0] == "Migration counselling for adults (Caritas)"
    assert integreat.requests.count(LOCATIONS) == 3


async def test_a_lasting_server_error_gives_up_and_says_where(integreat: IntegreatServer) -> None:
    integreat.faults[LOCATIONS] = Fault(status=500)

    with pytest.raises(InvalidCatalogue) as raised:
        await _fetch(_source(integreat))

    assert str(raised.value) == (
        f"{integreat.url}/{LOCATIONS}: the server answered HTTP 500, after 3 tries"
    )
    assert integreat.requests.count(LOCATIONS) == 3


async def test_no_answer_in_time_is_an_error(integreat: IntegreatServer) -> None:
    integreat.faults[LOCATIONS] = Fault(delay=2.0)

    with pytest.raises(InvalidCatalogue) as raised:
        await _fetch(_source(integreat, timeout=0.3, attempts=1))

    assert str(raised.value) == (
        f"{integreat.url}/{LOCATIONS}: no answer within 0.3 seconds, after 1 try"
    )


async def test_a_server_that_is_not_there_is_an_error(tmp_path: Path) -> None:
    source = HttpSource("http://127.0.0.1:9", timeout=2.0, attempts=2, backoff=0.0, min_interval=0)

    with pytest.raises(InvalidCatalogue) as raised:
        await _fetch(source)

    assert "api/v3/regions/testhausen/: could not connect" in str(raised.value)
    assert "after 2 tries" in str(raised.value)


def test_a_dump_with_a_missing_file_names_it(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine, tmp_path: Path
) -> None:
    saved = run(
        "catalogue", "import", "--from", "integreat", "--region", SLUG, "--base-url",
        integreat.url, "--save-dump", str(tmp_path / "d"),
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    missing = tmp_path / "d" / SLUG / "uk" / "events.json"
    missing.unlink()
    before = dump(engine)

    result = run(
        "catalogue", "import", "--from", "integreat-dump", str(tmp_path / "d"),
        "--mapping", str(mapping_file),
    )  # fmt: skip

    assert result.exit_code == 1
    assert f"{missing}: missing from the dump" in " ".join(result.output.split())
    assert dump(engine) == before
