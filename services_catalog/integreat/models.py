"""What an import last brought in, per external entry, so that a re-import can tell local edits
(made since, in the database) from changes on the Integreat side."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class ImportedEntry(SQLModel, table=True):
    external_id: str = Field(primary_key=True)  # "integreat:<region>/<poi id>"
    kind: str  # "service" or "course"
    entry_id: str = Field(index=True)
    imported: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    imported_at: datetime
