"""Tables for the bot's users.

Only the platform id, the chat to answer in, language, region and the dialogue's small state are
kept — no names, no message texts. ``/delete`` removes the row and everything hanging off it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class User(SQLModel, table=True):
    __tablename__ = "bot_user"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    platform_user_id: str
    chat_id: str
    language: str | None = None
    region_slug: str | None = None
    age: int | None = None
    state: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    blocked: bool = False
    created_at: datetime
    last_seen_at: datetime
