"""The fixed topics and their names, kept in the database by ``wegweiser db upgrade``.

The list is part of the product (see DESIGN.md), not catalogue data: regions add services to
topics, never topics themselves. Names live in ``topics.yaml`` in every interface language.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import yaml
from sqlmodel import Session, select

from services_catalog.models import OwnerKind, Topic
from services_catalog.translations import FieldRows, load_rows, write_field

TOPICS_FILE = Path(__file__).with_name("topics.yaml")


@cache
def topic_table() -> tuple[tuple[str, dict[str, str]], ...]:
    """(slug, names by language) in menu order."""
    entries = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    return tuple((entry["slug"], dict(entry["name"])) for entry in entries)


TOPIC_SLUGS: tuple[str, ...] = tuple(slug for slug, _ in topic_table())
"""The one list of topics, in menu order: the catalogue, the router and its keyword files use it."""


def sync_topics(session: Session, now: datetime | None = None) -> bool:
    """Make the topic table and its names match ``topics.yaml``; True when anything changed."""
    now = now or datetime.now(UTC)
    changed = False
    existing = {topic.slug: topic for topic in session.exec(select(Topic))}
    rows = load_rows(session, OwnerKind.TOPIC, TOPIC_SLUGS)
    for position, (slug, names) in enumerate(topic_table()):
        topic = existing.get(slug)
        if topic is None:
            session.add(Topic(slug=slug, position=position))
            changed = True
        elif topic.position != position:
            topic.position = position
            session.add(topic)
            changed = True
        field_rows: FieldRows = rows.get((slug, "name"), {})
        current = {lang: row.text for lang, row in field_rows.items()}
        if current != names:
            write_field(session, OwnerKind.TOPIC, slug, "name", names, field_rows, now)
            changed = True
    session.flush()
    return changed
