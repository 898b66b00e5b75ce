"""The link check against a loopback server: good, redirecting, slow, broken and unreachable
links, HEAD with GET as fallback, bounded concurrency and a polite pace per host."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from bot.linkcheck import Link, Verdict, catalogue_links, check_links
from tests.admin.conftest import WebServer, closed_port_url
from tests.helpers import VirtualPacer


def links(*urls: str) -> list[Link]:
    return [Link("service", f"s{n}", "website", url) for n, url in enumerate(urls)]


async def test_each_kind_of_link_gets_its_verdict(web_server: WebServer) -> None:
    unreachable = closed_port_url()
    results = await check_links(
        links(
            web_server.url("/good"),
            web_server.url("/moved"),
            web_server.url("/slow"),
            web_server.url("/missing"),
            web_server.url("/loop"),
            unreachable,
            "mailto:beratung@example.org",
        ),
        per_host_interval=0,
        timeout=0.5,
    )
    found = {result.url.removeprefix(web_server.base): result for result in results}
    assert (found["/good"].verdict, found["/good"].status) == (Verdict.OK, 200)
    assert found["/moved"].verdict is Verdict.REDIRECTED
    assert found["/moved"].final_url == web_server.url("/good")
    assert found["/slow"].verdict is Verdict.BROKEN
    assert found["/slow"].error == "no answer within 0.5 s"
    assert (found["/missing"].verdict, found["/missing"].status) == (Verdict.BROKEN, 404)
    assert found["/loop"].error == "more than 10 redirects"
    assert found[unreachable].broken and found[unreachable].error.startswith("cannot connect")
    assert found["mailto:beratung@example.org"].error == "not an http(s) address"
    assert results[0].url == web_server.url("/good")  # in the catalogue's order


async def test_head_first_and_get_when_a_server_refuses_head(web_server: WebServer) -> None:
    [good, no_head] = await check_links(
        links(web_server.url("/good"), web_server.url("/no-head")), per_host_interval=0
    )
    assert good.verdict is Verdict.OK and no_head.verdict is Verdict.OK
    assert ("HEAD", "/good") in web_server.requests and ("GET", "/good") not in web_server.requests
    assert [m for m, path in web_server.requests if path == "/no-head"] == ["HEAD", "GET"]


async def test_a_url_used_twice_is_asked_once_and_names_both_users(web_server: WebServer) -> None:
    url = web_server.url("/good")
    [result] = await check_links(
        [Link("service", "a", "website", url), Link("provider", "p", "website", url)],
        per_host_interval=0,
    )
    assert web_server.requests == [("HEAD", "/good")]
    users = [(link.kind, link.id) for link in result.used_by]
    assert users == [("service", "a"), ("provider", "p")]


async def test_concurrency_is_bounded(web_server: WebServer) -> None:
    urls = [web_server.url(f"/good/{n}") for n in range(12)]
    results = await check_links(links(*urls), concurrency=3, per_host_interval=0)
    assert all(result.verdict is Verdict.OK for result in results)
    assert 1 < web_server.most_at_once <= 3


async def test_one_host_is_asked_at_a_polite_pace(web_server: WebServer) -> None:
    pacer = VirtualPacer()
    urls = [web_server.url(f"/good/{n}") for n in range(5)]
    await check_links(links(*urls), concurrency=5, per_host_interval=2.0, pacer=pacer)
    assert pacer.now == 8.0  # four waits of two seconds between five requests to one host
    assert len(web_server.requests) == 5


def test_the_catalogue_links_are_websites_online_counselling_and_appointments(
    catalogue_engine: Engine, web_server: WebServer
) -> None:
    with Session(catalogue_engine) as session:
        found = {(link.kind, link.id, link.field, link.url) for link in catalogue_links(session)}
    assert found == {
        ("service", "rostock-good", "website", web_server.url("/good")),
        ("service", "rostock-good", "online_counselling", web_server.url("/moved")),
        ("service", "rostock-broken", "website", web_server.url("/missing")),
        ("service", "rostock-broken", "appointment_url", web_server.url("/good")),
        ("provider", "admin-test-provider", "website", web_server.url("/good")),
    }
