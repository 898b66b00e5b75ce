"""Checking the catalogue's links: does each website, online-counselling and appointment address
still answer?

A link that is broken sends people nowhere, so admins run this before it happens to them. Each
address is asked once, however many entries share it, HEAD first (cheap for the server) and GET
when a server does not answer HEAD properly. Few requests run at once and each host is asked at
most once per ``per_host_interval`` seconds, so the check is polite to small offices' servers.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

import aiohttp
from sqlmodel import Session, col, select

from bot.clock import LoopPacer, Pacer
from services_catalog.models import Provider, Service

USER_AGENT = "Wegweiser-LinkCheck/1.0 (checks the links of a counselling catalogue)"
MAX_REDIRECTS = 10
HEAD_REFUSED = {403, 404, 405, 501}
"""Statuses some servers give to HEAD only; the link is asked again with GET before it counts."""


class Verdict(StrEnum):
    OK = "ok"
    REDIRECTED = "redirected"  # works, but the catalogue should be given the new address
    BROKEN = "broken"


@dataclass(frozen=True)
class Link:
    """Where a URL is used: ``service rostock-mbe-awo website``."""

    kind: str  # "service" | "provider"
    id: str
    field: str  # "website" | "online_counselling" | "appointment_url"
    url: str


@dataclass(frozen=True)
class LinkResult:
    url: str
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    error: str | None = None
    used_by: tuple[Link, ...] = ()

    @property
    def broken(self) -> bool:
        return self.verdict is Verdict.BROKEN


def catalogue_links(session: Session) -> list[Link]:
    """Every website, online-counselling and appointment URL of active services, and every
    provider's website."""
    links = []
    services = session.exec(
        select(Service).where(col(Service.retired_at).is_(None)).order_by(col(Service.id))
    )
    for service in services:
        for field in ("website", "online_counselling", "appointment_url"):
            url = getattr(service, field)
            if url:
                links.append(Link("service", service.id, field, url.strip()))
    for provider in session.exec(select(Provider).order_by(col(Provider.id))):
        if provider.website:
            links.append(Link("provider", provider.id, "website", provider.website.strip()))
    return links


class _HostPacing:
    """At most one request per host every ``interval`` seconds."""

    def __init__(self, interval: float, pacer: Pacer) -> None:
        self._interval = interval
        self._pacer = pacer
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last: dict[str, float] = {}

    async def wait(self, host: str) -> None:
        async with self._locks[host]:
            last = self._last.get(host)
            if last is not None:
                wait = last + self._interval - self._pacer.monotonic()
                if wait > 0:
                    await self._pacer.sleep(wait)
            self._last[host] = self._pacer.monotonic()


async def check_links(
    links: Iterable[Link],
    *,
    concurrency: int = 8,
    per_host_interval: float = 1.0,
    timeout: float = 10.0,
    pacer: Pacer | None = None,
) -> list[LinkResult]:
    """One result per distinct URL, in the order the URLs first appear."""
    used: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        used[link.url].append(link)
    pacing = _HostPacing(per_host_interval, pacer or LoopPacer())
    slots = asyncio.Semaphore(concurrency)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(
        timeout=client_timeout, headers={"User-Agent": USER_AGENT}
    ) as http:

        async def one(url: str) -> LinkResult:
            async with slots:
                result = await _check(http, url, pacing, timeout)
            return LinkResult(
                url=result.url,
                verdict=result.verdict,
                status=result.status,
                final_url=result.final_url,
                error=result.error,
                used_by=tuple(used[url]),
            )

        return list(await asyncio.gather(*(one(url) for url in used)))


async def _check(
    http: aiohttp.ClientSession, url: str, pacing: _HostPacing, timeout: float
) -> LinkResult:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return LinkResult(url, Verdict.BROKEN, error="not an http(s) address")
    try:
        await pacing.wait(parts.hostname)
        status, final, moved = await _request(http, "HEAD", url)
        if status in HEAD_REFUSED or status >= 500:
            await pacing.wait(parts.hostname)
            status, final, moved = await _request(http, "GET", url)
    except TimeoutError:
        return LinkResult(url, Verdict.BROKEN, error=f"no answer within {timeout:g} s")
    except aiohttp.TooManyRedirects:
        return LinkResult(url, Verdict.BROKEN, error=f"more than {MAX_REDIRECTS} redirects")
    except aiohttp.ClientError as error:
        return LinkResult(url, Verdict.BROKEN, error=_describe(error))
    except (ValueError, UnicodeError) as error:
        return LinkResult(url, Verdict.BROKEN, error=f"invalid address: {error}")
    if status >= 400:
        return LinkResult(url, Verdict.BROKEN, status=status, final_url=final)
    verdict = Verdict.REDIRECTED if moved else Verdict.OK
    return LinkResult(url, verdict, status=status, final_url=final)


async def _request(http: aiohttp.ClientSession, method: str, url: str) -> tuple[int, str, bool]:
    """Status and final address after redirects, and whether there were any."""
    async with http.request(method, url, allow_redirects=True, max_redirects=MAX_REDIRECTS) as r:
        return r.status, str(r.url), bool(r.history)


def _describe(error: aiohttp.ClientError) -> str:
    """A short reason an admin understands, without a traceback."""
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"cannot connect: {error.os_error.strerror or error.os_error}"
    return str(error) or type(error).__name__


def to_json(results: list[LinkResult], checked_at: str) -> dict[str, object]:
    """The results as plain data, for ``--json`` and for the digest to read later."""
    return {
        "checked_at": checked_at,
        "results": [
            {
                "url": result.url,
                "verdict": result.verdict.value,
                "status": result.status,
                "final_url": result.final_url,
                "error": result.error,
                "used_by": [
                    {"kind": link.kind, "id": link.id, "field": link.field}
                    for link in result.used_by
                ],
            }
            for result in results
        ],
    }


def from_json(data: dict[str, object]) -> tuple[str, list[LinkResult]]:
    """``to_json`` read back; raises ValueError when the data is not such a file."""
    try:
        results = [
            LinkResult(
                url=str(item["url"]),
                verdict=Verdict(item["verdict"]),
                status=item.get("status"),
                final_url=item.get("final_url"),
                error=item.get("error"),
                used_by=tuple(
                    Link(str(use["kind"]), str(use["id"]), str(use["field"]), str(item["url"]))
                    for use in item.get("used_by", [])
                ),
            )
            for item in data["results"]  # type: ignore[union-attr]
        ]
        return str(data["checked_at"]), results
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"not a link check result: {error}") from None
