"""Daily counters: what the bot counts, and that nothing personal gets into the table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, inspect
from sqlmodel import select

from bot.clock import FakeClock
from bot.core.events import (
    CardShown,
    ConversationStarted,
    EventBus,
    InterpreterRequested,
    ReminderSent,
    ReminderSubscribed,
    TopicRequested,
)
from bot.monitoring.counters import increment, subscribe
from bot.monitoring.models import DailyCount, Metric
from services_catalog.db import session_scope
from services_catalog.models import Course, Region, Service


def counts(engine: Engine) -> dict[tuple, int]:
    with session_scope(engine) as session:
        rows = session.exec(select(DailyCount)).all()
        return {
            (
                row.day,
                row.metric,
                row.topic,
                row.lang,
                row.region,
                row.service_id,
                row.referral_code,
            ): row.count
            for row in rows
        }


def test_events_become_daily_counts(engine: Engine) -> None:
    with session_scope(engine) as session:
        region = Region(slug="rostock", name="Rostock")
        session.add(region)
        session.flush()
        session.add(Service(id="rostock-vhs", region_id=region.id, source="test"))
        session.flush()
        session.add(
            Course(
                id="rostock-vhs-a1",
                service_id="rostock-vhs",
                kind="integration_course",
                source="test",
            )
        )
    # 23:30 UTC on 1 March is already 2 March in Germany.
    clock = FakeClock(datetime(2025, 3, 1, 23, 30, tzinfo=UTC))
    bus = EventBus()
    subscribe(bus, engine, clock)

    bus.publish(ConversationStarted(lang="ar", region="rostock", referral_code="k7m2qp"))
    bus.publish(ConversationStarted(lang="ar", region="rostock", referral_code="k7m2qp"))
    bus.publish(ConversationStarted(lang="de", region=None, referral_code=None))
    bus.publish(TopicRequested(topic="housing", lang="ar", region="rostock", services_found=0))
    bus.publish(TopicRequested(topic="housing", lang="ar", region="rostock", services_found=2))
    bus.publish(CardShown(service_id="rostock-vhs", lang="ar", region="rostock"))
    bus.publish(ReminderSubscribed(course_id="rostock-vhs-a1", region="rostock"))
    bus.publish(InterpreterRequested(language="ti", kind="doctor", region="rostock"))
    bus.publish(InterpreterRequested(language="ti", kind="school_kita", region="rostock"))
    clock.advance(timedelta(days=1))
    bus.publish(ReminderSent(course_id="rostock-vhs-a1", region="rostock"))

    day, next_day = date(2025, 3, 2), date(2025, 3, 3)
    assert counts(engine) == {
        (day, "start", "", "ar", "rostock", "", "k7m2qp"): 2,
        (day, "start", "", "de", "", "", ""): 1,
        (day, "question", "housing", "ar", "rostock", "", ""): 2,
        (day, "unmet_need", "housing", "", "rostock", "", ""): 1,
        (day, "card_shown", "", "ar", "rostock", "rostock-vhs", ""): 1,
        (day, "reminder_subscribed", "", "", "rostock", "rostock-vhs", ""): 1,
        # the language an interpreter is needed for, per region; never the kind of appointment
        (day, "interpreter_requested", "", "ti", "rostock", "", ""): 2,
        (next_day, "reminder_sent", "", "", "rostock", "rostock-vhs", ""): 1,
    }


def test_upsert_adds_to_the_same_row(engine: Engine) -> None:
    for _ in range(3):
        with session_scope(engine) as session:
            increment(session, date(2025, 3, 1), Metric.QUESTION, topic="work", lang="uk")
    with session_scope(engine) as session:
        increment(session, date(2025, 3, 1), Metric.QUESTION, by=4, topic="work", lang="uk")
    assert counts(engine) == {(date(2025, 3, 1), "question", "work", "uk", "", "", ""): 7}


def test_counter_table_holds_nothing_personal(engine: Engine) -> None:
    columns = {column["name"] for column in inspect(engine).get_columns("monitoring_daily_count")}
    assert columns == {
        "id",
        "day",
        "metric",
        "topic",
        "lang",
        "region",
        "service_id",
        "referral_code",
        "count",
    }
