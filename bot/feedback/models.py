"""The anonymous reports that a catalogue entry is wrong.

A report keeps only the entry, the reason, the note the person typed and the day: no user id,
platform or chat, so it cannot be traced back to anyone and ``/delete`` has nothing to remove.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel


class EntryReport(SQLModel, table=True):
    __tablename__ = "feedback_entry_report"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(index=True)
    reason: str
    note: str | None = None
    day: date
