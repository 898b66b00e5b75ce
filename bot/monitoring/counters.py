"""Counting anonymous events into daily rows, with one upsert that SQLite and PostgreSQL share.

The subscriber sees only what an event carries (no user id, no text) and adds one to the row
for today's date and the event's coarse dimensions.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from bot.clock import Clock
from bot.core.events import (
    CardShown,
    ConversationStarted,
    Event,
    EventBus,
    InterpreterRequested,
    ReminderSent,
    ReminderSubscribed,
    TopicRequested,
)
from bot.monitoring.models import DIMENSIONS, DailyCount, Metric
from services_catalog.db import session_scope
from services_catalog.models import Course
from services_catalog.topics import TOPIC_SLUGS

# Days are counted as the municipalities live them, not in UTC.
COUNTING_TIMEZONE = ZoneInfo("Europe/Berlin")


def increment(
    session: Session, day: date, metric: Metric, by: int = 1, **dimensions: str | None
) -> None:
    """Add ``by`` to one counter row, creating it on first use (safe against concurrent writers)."""
    unknown = set(dimensions) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"not a counter dimension: {', '.join(sorted(unknown))}")
    values = {name: dimensions.get(name) or "" for name in DIMENSIONS}
    values |= {"day": day, "metric": metric.value, "count": by}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(DailyCount).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["day", "metric", *DIMENSIONS],
        set_={"count": DailyCount.__table__.c.count + statement.excluded.count},
    )
    session.execute(statement)


def rows_for(event: Event, session: Session) -> list[tuple[Metric, dict[str, str | None]]]:
    """The counters one event adds to; a topic that does not exist counts nowhere."""
    match event:
        case ConversationStarted(lang=lang, region=region, referral_code=code):
            return [(Metric.START, {"lang": lang, "region": region, "referral_code": code})]
        case TopicRequested(topic=topic, lang=lang, region=region, services_found=found) if (
            topic in TOPIC_SLUGS
        ):
            rows = [(Metric.QUESTION, {"topic": topic, "lang": lang, "region": region})]
            if found == 0:
                rows.append((Metric.UNMET_NEED, {"topic": topic, "region": region}))
            return rows
        case CardShown(service_id=service_id, lang=lang, region=region):
            return [(Metric.CARD_SHOWN, {"service_id": service_id, "lang": lang, "region": region})]
        case ReminderSubscribed(course_id=course_id, region=region):
            return [(Metric.REMINDER_SUBSCRIBED, _course_dimensions(session, course_id, region))]
        case ReminderSent(course_id=course_id, region=region):
            return [(Metric.REMINDER_SENT, _course_dimensions(session, course_id, region))]
        case InterpreterRequested(language=language, region=region):
            # the kind of appointment is not counted: language and region are what pools plan by
            return [(Metric.INTERPRETER_REQUESTED, {"lang": language, "region": region})]
    return []


def _course_dimensions(
    session: Session, course_id: str, region: str | None
) -> dict[str, str | None]:
    course = session.get(Course, course_id)
    return {"service_id": course.service_id if course else None, "region": region}


class MonitoringSubscriber:
    """An ``EventBus`` subscriber that keeps the daily counters."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def __call__(self, event: Event) -> None:
        day = self.clock.now().astimezone(COUNTING_TIMEZONE).date()
        with session_scope(self.engine) as session:
            for metric, dimensions in rows_for(event, session):
                increment(session, day, metric, **dimensions)


def subscribe(events: EventBus, engine: Engine, clock: Clock) -> MonitoringSubscriber:
    """Start counting what ``events`` publishes; the one call ``bot/app.py`` makes."""
    subscriber = MonitoringSubscriber(engine, clock)
    events.subscribe(subscriber)
    return subscriber
