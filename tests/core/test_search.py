"""A Lotse's card search names the town the way people write it, in any script."""

from __future__ import annotations

from sqlmodel import Session

from bot.app import Wegweiser
from bot.core.dialogue.search import Search, find_services, parse_query


def _search(app: Wegweiser, query: str) -> Search:
    with Session(app.engine) as session:
        return parse_query(
            session,
            query,
            platform="telegram",
            user_id="lotse-1",
            language_code="de",
            default_region=None,
        )


def test_a_town_in_cyrillic_or_arabic_script_and_a_language_code_are_understood(
    app: Wegweiser,
) -> None:
    for query in ("Deutschkurs Росток ar", "Deutschkurs روستوك ar", "Deutschkurs rostok ar"):
        search = _search(app, query)
        assert (search.region, search.lang, search.words) == ("rostock", "ar", "Deutschkurs")


def test_the_found_cards_are_the_towns_language_courses(app: Wegweiser) -> None:
    search = _search(app, "Deutschkurs Росток")
    with Session(app.engine) as session:
        router = app.router_index.router(session)
        found = find_services(session, router, search, app.clock.now().date())
    assert found
    assert all(service.region_slug == "rostock" for service in found)
    assert all("language_course" in service.topics for service in found)


def test_the_cards_that_fit_the_words_come_first(demo_app: Wegweiser) -> None:
    search = _search(demo_app, "Deutschkurs mit Kinderbetreuung Rostock")
    with Session(demo_app.engine) as session:
        router = demo_app.router_index.router(session)
        found = find_services(session, router, search, demo_app.clock.now().date())
    assert found[0].id == "rostock-frauenintegrationskurs-kinderbetreuung"
