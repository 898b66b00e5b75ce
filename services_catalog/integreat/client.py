"""Reading Integreat's API: over HTTP (politely, with timeouts and retries) or from a saved dump.

Both sources answer the same paths (``api/v3/<region>/<lang>/locations/``), so everything after
reading is the same whether the data came from the live instance or from a directory. A response
that is not what Integreat sends (an error page, broken JSON, a server error, no answer in time)
is an ``InvalidCatalogue`` naming the URL or file, so that the import writes nothing.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Protocol

import aiohttp

from services_catalog.records import CatalogueError, InvalidCatalogue

DEFAULT_BASE_URL = "https://cms.integreat-app.de"
DEFAULT_REQUEST_INTERVAL = 0.5
"""Seconds between two requests to a public instance: at most two a second."""
_RETRY_STATUSES = {429, 500, 502, 503, 504}


def _invalid(where: str, message: str) -> InvalidCatalogue:
    return InvalidCatalogue([CatalogueError(where, "", "", message)])


def parse_json(where: str, body: bytes, content_type: str = "application/json") -> Any:
    """The body as JSON, or an error saying what came instead."""
    text = body.decode("utf-8", errors="replace")
    if "html" in content_type or text.lstrip().startswith("<"):
        raise _invalid(where, "an HTML page came back instead of JSON (an error page?)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        cut = " (the response ends early)" if error.pos >= len(text.rstrip()) else ""
        raise _invalid(
            where,
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}{cut}",
        ) from None


def dump_file(directory: Path, path: str) -> Path:
    """Where a dump keeps the answer for an API path: ``<region>/<lang>/locations.json``."""
    relative = path.split("?")[0].removeprefix("api/v3/").strip("/")
    return directory / f"{relative}.json"


class Source(Protocol):
    """Used as ``async with source:`` around the reads (a connection pool, or nothing)."""

    async def __aenter__(self) -> Source: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def get(self, path: str) -> Any:
        """The JSON answer for an API path like ``api/v3/augsburg/languages/``."""
        ...

    def where(self, path: str) -> str:
        """The URL or file behind ``path``, for messages."""
        ...


class DumpSource:
    """A saved dump (see ``save_dump``): for offline work and tests."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def __aenter__(self) -> DumpSource:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def where(self, path: str) -> str:
        return str(dump_file(self.directory, path))

    async def get(self, path: str) -> Any:
        file = dump_file(self.directory, path)
        if not file.is_file():
            raise _invalid(str(file), "missing from the dump")
        return parse_json(str(file), file.read_bytes())


class HttpSource:
    """Integreat's API over HTTP: one request at a time, at most one per ``min_interval``."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        attempts: int = 3,
        backoff: float = 1.0,
        min_interval: float = DEFAULT_REQUEST_INTERVAL,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.attempts = attempts
        self.backoff = backoff
        self.min_interval = min_interval
        self._session: aiohttp.ClientSession | None = None
        self._last_request = 0.0

    async def __aenter__(self) -> HttpSource:
        self._session = aiohttp.ClientSession(
            timeout=self.timeout, headers={"User-Agent": "Wegweiser catalogue import"}
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    def where(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    async def _pace(self) -> None:
        loop = asyncio.get_running_loop()
        wait = self._last_request + self.min_interval - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_request = loop.time()

    async def get(self, path: str) -> Any:
        assert self._session is not None, "use HttpSource in 'async with'"
        url = self.where(path)
        problem = ""
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            await self._pace()
            try:
                async with self._session.get(url) as response:
                    body = await response.read()
                    if response.status in _RETRY_STATUSES:
                        problem = f"the server answered HTTP {response.status}"
                        continue
                    if response.status != 200:
                        raise _invalid(url, f"the server answered HTTP {response.status}")
                    return parse_json(url, body, response.content_type)
            except TimeoutError:
                problem = f"no answer within {self.timeout.total:g} seconds"
            except aiohttp.ClientError as error:
                problem = f"could not connect ({error.__class__.__name__})"
        tries = f"{self.attempts} tries" if self.attempts != 1 else "1 try"
        raise _invalid(url, f"{problem}, after {tries}")


def save_dump(directory: Path, answers: dict[str, Any]) -> list[Path]:
    """Write the answers (API path -> JSON) where ``DumpSource`` reads them."""
    written = []
    for path, data in answers.items():
        file = dump_file(directory, path)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(file)
    return written
