"""Tables of monitoring: one anonymous counter row per day and combination of dimensions.

A row holds a date, what was counted and a few coarse dimensions — never a user id and never a
message text. Absent dimensions are stored as ``""`` rather than NULL, so that the unique key
matches them and one upsert statement works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Metric(StrEnum):
    START = "start"  # a conversation began (per referral code)
    QUESTION = "question"  # a question understood as a topic
    UNMET_NEED = "unmet_need"  # a question that found no service in the region
    CARD_SHOWN = "card_shown"  # a service card was shown
    REMINDER_SUBSCRIBED = "reminder_subscribed"
    REMINDER_SENT = "reminder_sent"
    INTERPRETER_REQUESTED = "interpreter_requested"  # lang: the language an interpreter is for


DIMENSIONS = ("topic", "lang", "region", "service_id", "referral_code")


class DailyCount(SQLModel, table=True):
    __tablename__ = "monitoring_daily_count"
    __table_args__ = (
        UniqueConstraint("day", "metric", *DIMENSIONS, name="uq_monitoring_daily_count_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    metric: str
    topic: str = ""
    lang: str = ""
    region: str = ""
    service_id: str = ""
    referral_code: str = ""
    count: int = 0
