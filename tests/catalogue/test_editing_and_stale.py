"""Editing single entries (with course-change notices) and finding entries that need checking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from services_catalog import changes, queries
from services_catalog.db import session_scope
from services_catalog.editing import plan_add, plan_edit, plan_retire, restore
from services_catalog.importer import Plan, commit_plan
from services_catalog.models import Service
from services_catalog.records import InvalidCatalogue
from services_catalog.snapshot import read_stored
from services_catalog.stale import stale_entries, verify
from tests.catalogue.conftest import dump

TODAY = date(2026, 6, 1)


@pytest.fixture
def heard() -> Iterator[list[changes.CourseChanged]]:
    received: list[changes.CourseChanged] = []
    unsubscribe = changes.subscribe(received.append)
    yield received
    unsubscribe()


def _run(engine: Engine, build) -> Plan:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        plan = build(session)
        commit_plan(session, plan)
    return plan


def test_adding_editing_and_retiring_a_course_tells_listeners(
    loaded: Engine, heard: list[changes.CourseChanged]
) -> None:
    course = {
        "id": "testburg-frauenkurs-beispiel",
        "service": "testburg-vhs",
        "kind": "women_parents_course",
        "title": {"de": "Frauenkurs mit Kinderbetreuung (Beispiel)"},
        "childcare": True,
        "example": True,
        "source": "example",
    }
    _run(loaded, lambda s: plan_add(s, "course", course, "command line"))
    assert heard == []  # nobody can have a reminder for a course that did not exist

    _run(
        loaded,
        lambda s: plan_edit(
            s, "course", "testburg-frauenkurs-beispiel", {"start_date": "2027-02-01"}, "cli"
        ),
    )
    _run(loaded, lambda s: plan_retire(s, "course", "testburg-frauenkurs-beispiel"))

    assert heard == [
        changes.CourseChanged("testburg-frauenkurs-beispiel", "changed"),
        changes.CourseChanged("testburg-frauenkurs-beispiel", "retired"),
    ]
    with Session(loaded) as session:
        assert queries.course_view(session, "testburg-frauenkurs-beispiel", "de") is None


def test_retiring_a_service_retires_its_courses(
    loaded: Engine, heard: list[changes.CourseChanged]
) -> None:
    plan = _run(loaded, lambda s: plan_retire(s, "service", "testburg-vhs"))

    assert [(c.kind, c.id) for c in plan.retired] == [
        ("service", "testburg-vhs"),
        ("course", "testburg-ik-beispiel"),
    ]
    assert heard == [changes.CourseChanged("testburg-ik-beispiel", "retired")]
    with Session(loaded) as session:
        assert queries.service_view(session, "testburg-vhs", "de", today=TODAY) is None


def test_a_retired_id_is_never_reused(loaded: Engine) -> None:
    _run(loaded, lambda s: plan_retire(s, "service", "testburg-jmd"))
    before = dump(loaded)
    data = {
        "id": "testburg-jmd",
        "region": "testburg",
        "topics": ["youth_migration"],
        "title": {"de": "Neu"},
        "source": "x",
    }

    with Session(loaded) as session, pytest.raises(InvalidCatalogue) as raised:
        plan_add(session, "service", data, "command line")

    assert "belongs to a retired service" in str(raised.value)
    assert "wegweiser catalogue restore service testburg-jmd" in str(raised.value)
    assert dump(loaded) == before


def test_a_retired_service_is_restored_as_it_was(loaded: Engine) -> None:
    with Session(loaded) as session:
        before = read_stored(session).catalogue.services["testburg-jmd"]
    _run(loaded, lambda s: plan_retire(s, "service", "testburg-jmd"))

    with session_scope(loaded) as session:
        restore(session, "service", "testburg-jmd", datetime(2026, 3, 1, tzinfo=UTC))

    with Session(loaded) as session:
        assert read_stored(session).catalogue.services["testburg-jmd"] == before
        with pytest.raises(InvalidCatalogue, match="is not retired"):
            restore(session, "service", "testburg-jmd", datetime(2026, 3, 1, tzinfo=UTC))


def test_an_invalid_edit_names_the_field_and_writes_nothing(loaded: Engine) -> None:
    before = dump(loaded)

    with Session(loaded) as session, pytest.raises(InvalidCatalogue) as raised:
        plan_edit(session, "service", "testburg-jmd", {"address": {"longitude": 500}}, "cli")

    assert "cli: service testburg-jmd: address.longitude:" in str(raised.value)
    assert dump(loaded) == before


def test_stale_entries_and_verification(loaded: Engine) -> None:
    with Session(loaded) as session:
        # Verified 2026-01-15; on 2026-12-10 that is more than 180 days ago, and the Verein's
        # offer ends on 2026-12-31.
        stale = {e.id: e.reasons for e in stale_entries(session, date(2026, 12, 10), days=180)}
        recent = {e.id for e in stale_entries(session, date(2026, 3, 1), days=180)}

    assert stale["testburg-mbe-verein"] == ("last verified 2026-01-15", "ends 2026-12-31")
    assert stale["testburg-mbe-awo"] == ("last verified 2026-01-15",)
    assert stale["testburg-jmd"] == ("never verified",)
    assert stale["testburg-ik-beispiel"] == ("last verified 2026-01-15",)
    assert "testburg-mbe-awo" not in recent and "testburg-jmd" in recent

    with Session(loaded) as session:
        assert verify(session, "testburg-mbe-verein", date(2026, 12, 10)) == "service"
        session.commit()
        after = {e.id: e.reasons for e in stale_entries(session, date(2026, 12, 10), days=180)}
        view = queries.service_view(session, "testburg-mbe-verein", "de", today=date(2026, 12, 10))
    assert after["testburg-mbe-verein"] == ("ends 2026-12-31",)
    assert view is not None and view.verified == date(2026, 12, 10)


def test_verifying_an_unknown_id_says_so(loaded: Engine) -> None:
    with Session(loaded) as session, pytest.raises(LookupError, match="no active service"):
        verify(session, "nowhere", TODAY)


def test_a_value_stored_before_a_rule_was_tightened_is_read_and_named_on_the_next_edit(
    loaded: Engine,
) -> None:
    with session_scope(loaded) as session:
        service = session.get(Service, "testburg-jmd")
        assert service is not None
        service.phone = "0381 1"  # accepted by an earlier version, too short for today's check

    with Session(loaded) as session:
        assert read_stored(session).catalogue.services["testburg-jmd"].contact.phone == "0381 1"
        with pytest.raises(InvalidCatalogue) as raised:
            plan_edit(session, "service", "testburg-jmd", {"title": {"de": "JMD"}}, "cli")

    assert "cli: service testburg-jmd: contact.phone: '0381 1' is not a phone number" in str(
        raised.value
    )
