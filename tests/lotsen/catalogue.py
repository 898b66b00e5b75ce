"""A tiny catalogue for link and report tests: one region, three topics, three services."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine

from services_catalog.db import session_scope
from services_catalog.models import Region, Service, ServiceTopic, Topic

TOPICS = ("migration_counselling", "housing", "language_course")


def add_catalogue(engine: Engine) -> None:
    """Rostock with an active, a retired and an expired counselling service."""
    with session_scope(engine) as session:
        region = Region(slug="rostock", name="Rostock")
        session.add(region)
        for position, slug in enumerate(TOPICS):
            session.add(Topic(slug=slug, position=position))
        session.flush()
        services = [
            Service(id="rostock-mbe-awo", region_id=region.id, source="test"),
            Service(
                id="rostock-old-office",
                region_id=region.id,
                source="test",
                retired_at=datetime(2024, 1, 1, tzinfo=UTC),
            ),
            Service(
                id="rostock-ended-project",
                region_id=region.id,
                source="test",
                valid_until=date(2024, 12, 31),
            ),
        ]
        session.add_all(services)
        session.flush()
        for service in services:
            session.add(ServiceTopic(service_id=service.id, topic_slug="migration_counselling"))
