"""The catalogue tables keep their promises on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from services_catalog.models import CatalogueText, Region, Service, ServiceTopic, Topic


def _text(lang: str, text: str) -> CatalogueText:
    return CatalogueText(
        owner_kind="service",
        owner_id="s",
        field="title",
        lang=lang,
        text=text,
        status="current",
        source_hash="x",
        updated_at=datetime.now(UTC),
    )


def test_a_service_with_its_region_topic_and_lists_round_trips(session: Session) -> None:
    region = Region(slug="testburg", name="Testburg", postcodes=["18055"])
    session.add_all([region, Topic(slug="health", position=0)])
    session.flush()
    session.add(
        Service(
            id="s",
            region_id=region.id or 0,
            source="doc",
            languages=["de", "ar"],
            opening_hours={"mon": ["09:00-12:00"], "tue": "closed"},
        )
    )
    session.flush()
    session.add(ServiceTopic(service_id="s", topic_slug="health"))
    session.commit()
    session.expire_all()

    service = session.exec(select(Service)).one()
    assert service.languages == ["de", "ar"]
    assert service.opening_hours == {"mon": ["09:00-12:00"], "tue": "closed"}
    assert session.exec(select(Region)).one().postcodes == ["18055"]


def test_one_text_per_field_and_language(session: Session) -> None:
    session.add(_text("en", "one"))
    session.commit()
    session.add(_text("en", "two"))

    with pytest.raises(IntegrityError):
        session.commit()


def test_a_service_needs_an_existing_region(session: Session) -> None:
    session.add(Service(id="orphan", region_id=999, source="doc"))

    with pytest.raises(IntegrityError):
        session.commit()
