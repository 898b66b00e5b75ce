"""A loopback HTTP server that answers like an Integreat instance, with faults on request.

It runs in a thread with its own event loop, so that both the command line (which starts its own
loop) and async tests can talk to it.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Fault:
    """What to answer instead, for one path: a status, an HTML page, cut JSON or a delay."""

    status: int = 200
    body: str | None = None  # sent as is (HTML or broken JSON)
    content_type: str = "application/json"
    delay: float = 0.0
    times: int | None = None  # only for the first N requests, then the real answer


@dataclass
class IntegreatServer:
    answers: dict[str, Any]
    faults: dict[str, Fault] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    url: str = ""

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.path_qs.lstrip("/")
        self.requests.append(path)
        fault = self.faults.get(path)
        if fault is not None and (fault.times is None or fault.times > 0):
            if fault.times is not None:
                fault.times -= 1
            if fault.delay:
                await asyncio.sleep(fault.delay)
            return web.Response(
                status=fault.status, text=fault.body or "", content_type=fault.content_type
            )
        if path not in self.answers:
            return web.Response(status=404, text='{"error": "not found"}')
        return web.json_response(self.answers[path], dumps=lambda d: json.dumps(d))

    def start(self) -> None:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        async def serve() -> None:
            app = web.Application()
            app.router.add_route("GET", "/{tail:.*}", self._handle)
            self._runner = web.AppRunner(app)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            port = self._runner.addresses[0][1]
            self.url = f"http://127.0.0.1:{port}"
            ready.set()

        self._thread = threading.Thread(target=self._run, args=(serve,), daemon=True)
        self._thread.start()
        ready.wait(10)

    def _run(self, serve: Any) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(serve())
        self._loop.run_forever()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
