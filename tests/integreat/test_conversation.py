"""Someone writes to the bot in the terminal after a region was imported from Integreat.

The test is synchronous because the import command runs its own event loop, as it does for an
admin; each conversation then runs in a loop of its own."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from bot.adapters.terminal import TerminalAdapter
from bot.app import build_app
from bot.clock import FakeClock
from bot.settings import Settings
from tests.integreat import region
from tests.integreat.server import IntegreatServer

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
FSI, PDI = "\u2068", "\u2069"


async def _transcript(engine: Engine, tmp_path: Path, lang: str, lines: list[str]) -> str:
    app = build_app(Settings(data_dir=tmp_path), clock=FakeClock(NOW), engine=engine)
    output = io.StringIO()
    adapter = TerminalAdapter(
        app.conversation, user_id=f"person-{lang}", output=output, language_code=lang
    )
    await adapter.run(["/start", *lines])
    return output.getvalue().replace(FSI, "").replace(PDI, "")


def test_the_imported_services_are_found_in_a_conversation(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine, tmp_path: Path
) -> None:
    imported = run(
        "catalogue", "import", "--from", "integreat", "--region", region.REGION,
        "--base-url", integreat.url, "--mapping", str(mapping_file),
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output

    english = asyncio.run(
        _transcript(engine, tmp_path, "en", ["Testhausen", "migration counselling"])
    )
    after = english.split("> migration counselling")[1]
    assert "Migration counselling for adults (Caritas)" in after
    assert "Marktstraße 1, 12345 Testhausen" in after
    assert "+49 30 1234567" in after
    assert "Stadtbibliothek" not in english  # its category is not mapped

    german = asyncio.run(
        _transcript(engine, tmp_path / "de", "de", ["Testhausen", "Deutschkurs", "1"])
    )
    assert "Sprachcafé im Stadtteilzentrum" in german
    assert "Sprachcafé am Dienstag" in german and "16:00–18:00" in german

    arabic = asyncio.run(
        _transcript(engine, tmp_path / "ar", "ar", ["Testhausen", "استشارة الهجرة"])
    )
    assert "استشارة الهجرة للبالغين (كاريتاس)" in arabic.split("> استشارة الهجرة")[1]
