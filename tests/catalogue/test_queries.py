"""The read API the bot uses: which services a newcomer sees, and in what order."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from services_catalog import queries
from services_catalog.importer import import_path
from services_catalog.topics import TOPIC_SLUGS, sync_topics
from services_catalog.views import PoolView
from tests.catalogue.conftest import FIXTURE_CATALOGUE

BEFORE_END = date(2026, 12, 31)  # testburg-mbe-verein is valid until this day
AFTER_END = date(2027, 1, 1)


def test_staff_speaking_the_users_language_come_first(loaded: Engine) -> None:
    with Session(loaded) as session:
        ukrainian = queries.services_for(
            session, "testburg", "migration_counselling", "uk", BEFORE_END
        )
        arabic = queries.services_for(
            session, "testburg", "migration_counselling", "ar", BEFORE_END
        )
    assert [v.id for v in ukrainian] == ["testburg-mbe-verein", "testburg-mbe-awo"]
    assert [v.id for v in arabic] == ["testburg-mbe-awo", "testburg-mbe-verein"]
    assert arabic[0].title == "استشارة الهجرة للبالغين"


def test_services_past_their_valid_until_date_disappear(loaded: Engine) -> None:
    with Session(loaded) as session:
        later = queries.services_for(session, "testburg", "migration_counselling", "de", AFTER_END)
        gone = queries.service_view(session, "testburg-mbe-verein", "de", today=AFTER_END)
    assert [v.id for v in later] == ["testburg-mbe-awo"]
    assert gone is None


def test_services_are_filtered_by_region_and_topic(loaded: Engine) -> None:
    with Session(loaded) as session:
        nordhausen = queries.services_for(session, "nordhausen", "migration_counselling", "de")
        everywhere = queries.services_for(session, None, "migration_counselling", "tr", BEFORE_END)
        residence = queries.services_for(session, "testburg", "residence", "de", BEFORE_END)
        unknown = queries.services_for(session, "atlantis", "migration_counselling", "de")
    assert [v.id for v in nordhausen] == ["nordhausen-mbe"]
    assert everywhere[0].id == "nordhausen-mbe"  # its staff speak Turkish
    assert {v.id for v in everywhere} == {
        "nordhausen-mbe",
        "testburg-mbe-awo",
        "testburg-mbe-verein",
    }
    assert [v.id for v in residence] == ["testburg-mbe-verein"]
    assert unknown == []


def test_the_pool_view_shows_languages_and_rules_but_never_members(loaded: Engine) -> None:
    with Session(loaded) as session:
        pool = queries.pool_for_region(session, "testburg", "en")
        none = queries.pool_for_region(session, "nordhausen", "en")
        service = queries.service_view(session, "testburg-sprachmittler", "en")
    assert pool is not None and none is None
    assert pool.languages == ("ar", "fa", "ru")
    assert pool.rules == "The inviting office orders and pays."
    assert "members" not in {f.name for f in fields(PoolView)}
    assert "ku" not in repr(pool) and "volunteer" not in repr(pool)
    assert service is not None and service.is_interpreter_pool


def test_courses_of_a_service_in_start_order(loaded: Engine) -> None:
    with Session(loaded) as session:
        courses = queries.courses_for_service(session, "testburg-vhs", "en", today=BEFORE_END)
        finished = queries.courses_for_service(session, "testburg-vhs", "en", date(2027, 7, 1))
    assert [c.id for c in courses] == ["testburg-ik-beispiel"]
    assert courses[0].title == "Integration course A1 (example)"
    assert courses[0].cost == "kostenlos mit Berechtigung" and courses[0].fallback_fields == {
        "cost"
    }
    assert courses[0].timezone == "Europe/Berlin" and courses[0].region_slug == "testburg"
    assert finished == []


def test_regions_and_topic_names(loaded: Engine) -> None:
    with Session(loaded) as session:
        slugs = [region.slug for region in queries.regions(session)]
        testburg = queries.region_by_slug(session, "testburg")
        persian = queries.topic_names(session, "fa")
        german = queries.topic_names(session, None)
    assert slugs == ["testburg", "nordhausen"]  # by name: "Hansestadt…" before "Landkreis…"
    assert testburg is not None and testburg.postcodes == ["18055", "18057"]
    assert list(persian) == list(TOPIC_SLUGS)
    assert persian["housing"] == "مسکن" and german["housing"] == "Wohnen"


def test_topics_sync_is_idempotent_and_names_exist_in_every_language(engine: Engine) -> None:
    with Session(engine) as session:
        assert sync_topics(session) is True
        session.commit()
        assert sync_topics(session) is False
        for lang in ("de", "en", "ar", "fa", "uk", "ru", "tr", "pl"):
            names = queries.topic_names(session, lang)
            assert len(names) == 13 and all(names.values())
        english = queries.topic_names(session, "en")
    assert english["crisis"] == "Emergency and crisis"


def test_router_entries_hold_titles_and_abbreviations(loaded: Engine) -> None:
    with Session(loaded) as session:
        entries = set(queries.router_entries(session, today=BEFORE_END))
    assert ("migration_counselling", "MBE") in entries
    assert ("youth_migration", "JMD") in entries
    assert ("youth_migration", "Jugendmigrationsdienst (JMD)") in entries
    assert ("residence", "Migrationsberatung im Verein Brücke") in entries


def test_the_revision_grows_with_changes(engine: Engine) -> None:
    with Session(engine) as session:
        assert queries.catalogue_revision(session) == 0
    import_path(engine, FIXTURE_CATALOGUE)
    with Session(engine) as session:
        assert queries.catalogue_revision(session) == 1
