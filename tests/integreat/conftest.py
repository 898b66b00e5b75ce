"""The loopback Integreat instance, the admin's mapping file, and the command line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.integreat import region
from tests.integreat.server import IntegreatServer


@pytest.fixture
def integreat() -> Iterator[IntegreatServer]:
    server = IntegreatServer(region.answers())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mapping_file(tmp_path: Path) -> Path:
    path = tmp_path / "integreat-mapping.yaml"
    path.write_text(region.MAPPING, encoding="utf-8")
    return path


@pytest.fixture
def run(database_url: str):  # type: ignore[no-untyped-def]
    """Run ``wegweiser …`` against the test database; returns the result."""
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(
            app,
            list(args),
            env={
                "WEGWEISER_DATABASE_URL": database_url,
                "COLUMNS": "200",
                "WEGWEISER_INTEGREAT_REQUEST_INTERVAL": "0",  # the test server is on loopback
            },
        )

    return invoke
