"""`wegweiser lotse`: what an admin types and what a person opening the link then gets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.cli import app
from bot.lotsen.payload import StartPreset, resolve_start_payload
from services_catalog.db import make_engine, session_scope
from services_catalog.models import Region
from tests.lotsen.catalogue import add_catalogue

runner = CliRunner()


@pytest.fixture
def cli_engine(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("WEGWEISER_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("WEGWEISER_TELEGRAM_USERNAME", "wegweiser_bot")
    monkeypatch.setenv("WEGWEISER_MATRIX_USER", "@wegweiser:example.org")
    engine = make_engine(sqlite_url)
    add_catalogue(engine)
    yield engine
    engine.dispose()


def add(*args: str) -> str:
    result = runner.invoke(app, ["lotse", "add", *args])
    assert result.exit_code == 0, result.output
    return re.search(r"Created code (\w+)", result.output).group(1)


def opened(engine: Engine, link: str) -> StartPreset | None:
    with session_scope(engine) as session:
        return resolve_start_payload(session, link.split("?start=", 1)[1])


def test_add_link_and_open(cli_engine: Engine) -> None:
    code = add("Café International", "--region", "rostock", "--lang", "ar", "--topic", "housing")
    result = runner.invoke(app, ["lotse", "link", code])
    assert result.exit_code == 0, result.output
    telegram = re.search(r"Telegram: (\S+)", result.output).group(1)
    assert telegram == f"https://t.me/wegweiser_bot?start=R{code}"
    assert "https://matrix.to/#/@wegweiser:example.org" in result.output
    assert f"!start R{code}" in result.output
    assert opened(cli_engine, telegram) == StartPreset(
        lang="ar", region="rostock", topic="housing", referral_code=code
    )


def test_link_to_one_service_opens_its_card(cli_engine: Engine) -> None:
    code = add("MBE Sprechstunde")
    result = runner.invoke(app, ["lotse", "link", code, "--service", "rostock-mbe-awo"])
    telegram = re.search(r"Telegram: (\S+)", result.output).group(1)
    assert opened(cli_engine, telegram) == StartPreset(
        service_id="rostock-mbe-awo", referral_code=code
    )


def test_list_and_retire(cli_engine: Engine) -> None:
    code = add("Gemeinschaftsunterkunft Nord", "--lang", "uk")
    listed = runner.invoke(app, ["lotse", "list"])
    assert code in listed.output and "Gemeinschaftsunterkunft Nord" in listed.output
    assert "language uk" in listed.output

    retired = runner.invoke(app, ["lotse", "retire", code.upper()])
    assert retired.exit_code == 0 and "normal start" in retired.output
    assert "retired" in runner.invoke(app, ["lotse", "list"]).output
    assert opened(cli_engine, f"https://t.me/wegweiser_bot?start=R{code}") is None
    refused = runner.invoke(app, ["lotse", "link", code])
    assert refused.exit_code == 1 and "retired" in refused.output


def test_qr_png_holds_the_telegram_link(cli_engine: Engine, tmp_path: Path) -> None:
    code = add("Café International", "--lang", "fa")
    out = tmp_path / "flyer.png"
    result = runner.invoke(
        app,
        ["lotse", "qr", code, "--out", str(out), "--caption-lang", "fa", "--caption-lang", "de"],
    )
    assert result.exit_code == 0, result.output
    [barcode] = zxingcpp.read_barcodes(Image.open(out))
    assert barcode.text == f"https://t.me/wegweiser_bot?start=R{code}"


def test_qr_svg_for_matrix_tells_the_first_message(cli_engine: Engine, tmp_path: Path) -> None:
    code = add("Café International")
    out = tmp_path / "flyer.svg"
    result = runner.invoke(app, ["lotse", "qr", code, "--out", str(out), "--platform", "matrix"])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert f"!start R{code}" in svg
    assert "Senden Sie dann diese Nachricht" in svg  # German caption by default


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "Flyer", "--lang", "xx"], "Unknown language"),
        (["add", "Flyer", "--region", "atlantis"], "Unknown region"),
        (["add", "Flyer", "--topic", "weather"], "Unknown topic"),
        (["add", "Flyer", "--service", "rostock-old-office"], "No active service"),
        (["add", "  "], "label"),
        (["add", "Flyer\0Rathaus"], "The label contains a control character"),
        (["add", "Flyer " * 100], "The label is 599 characters long; at most 200"),
        (["retire", "nope22"], "no link code"),
        (["link", "nope22"], "no link code"),
    ],
)
def test_bad_input_gets_a_clear_answer(cli_engine: Engine, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["lotse", *args])
    assert result.exit_code == 1
    assert message in result.output


def test_qr_refuses_unknown_caption_language_and_file_type(
    cli_engine: Engine, tmp_path: Path
) -> None:
    code = add("Flyer")
    bad_lang = runner.invoke(
        app, ["lotse", "qr", code, "--out", str(tmp_path / "a.png"), "--caption-lang", "zz"]
    )
    assert bad_lang.exit_code == 1 and "Unknown caption language" in bad_lang.output
    bad_type = runner.invoke(app, ["lotse", "qr", code, "--out", str(tmp_path / "a.pdf")])
    assert bad_type.exit_code == 1 and ".png or .svg" in bad_type.output
    no_folder = runner.invoke(app, ["lotse", "qr", code, "--out", str(tmp_path / "x" / "a.png")])
    assert no_folder.exit_code == 1 and "Cannot write" in no_folder.output
    no_font = runner.invoke(
        app, ["lotse", "qr", code, "--out", str(tmp_path / "a.png"), "--font", "none.ttf"]
    )
    assert no_font.exit_code == 1 and "none.ttf: no such font file." in no_font.output
    assert not (tmp_path / "a.png").exists()


def test_a_service_outside_the_links_region_is_refused(cli_engine: Engine) -> None:
    with session_scope(cli_engine) as session:
        session.add(Region(slug="koblenz", name="Koblenz"))
    code = add("Rathaus Koblenz", "--region", "koblenz")

    added = runner.invoke(
        app, ["lotse", "add", "Flyer", "--service", "rostock-mbe-awo", "--region", "koblenz"]
    )
    linked = runner.invoke(app, ["lotse", "link", code, "--service", "rostock-mbe-awo"])
    listed = runner.invoke(app, ["lotse", "list"])

    for result in (added, linked):
        assert result.exit_code == 1
        output = " ".join(result.output.split())
        assert "'rostock-mbe-awo' is in the region 'rostock', not 'koblenz'" in output
    assert "Flyer" not in listed.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "rostok"], "Unknown region 'rostok'; did you mean 'rostock'?"),
        (["--topic", "huosing"], "Unknown topic 'huosing'; did you mean 'housing'?"),
        (["--service", "rostock-mbe-aw"], "did you mean 'rostock-mbe-awo'?"),
    ],
)
def test_a_typo_in_a_preset_names_the_closest_valid_value(
    cli_engine: Engine, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["lotse", "add", "Flyer", *args])

    assert result.exit_code == 1 and message in " ".join(result.output.split())
