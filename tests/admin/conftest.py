"""A loopback web server with good, redirecting, slow and broken links, and a catalogue that
points at it, for the link check and the digest. Nothing here touches the internet."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import Engine

from tests import helpers

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


@dataclass
class WebServer:
    """What the server saw: requests as (method, path), and the most that ran at once."""

    base: str = ""
    requests: list[tuple[str, str]] = field(default_factory=list)
    running: int = 0
    most_at_once: int = 0

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _app(seen: WebServer, release: asyncio.Event) -> web.Application:
    async def track(request: web.Request, handler):  # type: ignore[no-untyped-def]
        seen.requests.append((request.method, request.path))
        seen.running += 1
        seen.most_at_once = max(seen.most_at_once, seen.running)
        try:
            await asyncio.sleep(0.01)  # long enough for parallel requests to overlap
            return await handler(request)
        finally:
            seen.running -= 1

    async def good(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/good")

    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    async def slow(request: web.Request) -> web.Response:
        await release.wait()  # answers only when the test ends, long after the client gave up
        return web.Response(text="late")

    async def missing(request: web.Request) -> web.Response:
        raise web.HTTPNotFound()

    async def no_head(request: web.Request) -> web.Response:
        if request.method == "HEAD":
            raise web.HTTPMethodNotAllowed("HEAD", ["GET"])
        return web.Response(text="only GET")

    app = web.Application(middlewares=[web.middleware(track)])
    app.router.add_route("*", "/good", good)
    app.router.add_route("*", "/good/{n}", good)
    app.router.add_route("*", "/moved", moved)
    app.router.add_route("*", "/loop", loop)
    app.router.add_route("*", "/slow", slow)
    app.router.add_route("*", "/missing", missing)
    app.router.add_route("*", "/no-head", no_head)
    return app


@pytest.fixture
def web_server() -> Iterator[WebServer]:
    """The server runs on its own loop in a thread, so that commands with ``asyncio.run`` and
    async tests can both reach it."""
    seen = WebServer()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, object] = {}

    async def start() -> None:
        release = asyncio.Event()
        runner = web.AppRunner(_app(seen, release), shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        seen.base = f"http://127.0.0.1:{port}"
        holder.update(runner=runner, release=release)
        ready.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop)
    assert ready.wait(10), "the loopback web server did not start"
    yield seen

    async def stop() -> None:
        holder["release"].set()  # type: ignore[attr-defined]
        await holder["runner"].cleanup()  # type: ignore[attr-defined]

    asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


def closed_port_url() -> str:
    """An address on loopback where nothing listens."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


CATALOGUE = """\
region:
  slug: rostock
  name: Rostock
  source: test

providers:
  - id: admin-test-provider
    name: Beratung Test e.V.
    website: "{good}"
    source: test

services:
  - id: rostock-good
    provider: admin-test-provider
    topics: [migration_counselling]
    title: {{de: Gute Beratung}}
    contact:
      website: "{good}"
      online_counselling: "{moved}"
    address: {{city: Rostock}}
    source: test
    verified: 2026-11-20
  - id: rostock-broken
    provider: admin-test-provider
    topics: [housing]
    title: {{de: "Wohnberatung *Nord* [alt]"}}
    contact:
      website: "{missing}"
    address: {{city: Rostock}}
    appointment_url: "{good}"
    source: test
    verified: 2025-01-10
    valid_until: 2026-12-20
"""


def write_catalogue(directory: Path, server: WebServer) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "rostock.yaml").write_text(
        CATALOGUE.format(
            good=server.url("/good"), moved=server.url("/moved"), missing=server.url("/missing")
        ),
        encoding="utf-8",
    )
    return directory


@pytest.fixture
def catalogue_engine(engine: Engine, web_server: WebServer, tmp_path: Path) -> Engine:
    """The two-service catalogue on SQLite and PostgreSQL, its links on the loopback server."""
    helpers.load_catalogue(engine, write_catalogue(tmp_path / "catalogue", web_server), NOW)
    return engine
