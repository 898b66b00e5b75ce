"""What the Matrix adapter must remember across restarts, in one small JSON file in the store.

Besides the encryption keys (kept by matrix-nio in its own SQLite file next to this one) that is:
the device the bot logged in as, the sync token to continue from, the moment the bot first ran
(older messages are history, never answered) and the ids of the latest events answered per room,
so that a message is answered once even when a sync is repeated after a crash, and which rooms
were upgraded into which. No message text and no names are kept.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "wegweiser-matrix.json"
HANDLED_PER_ROOM = 100


@dataclass
class RoomMark:
    """The newest answered events of one room (ids, plus the newest server timestamp)."""

    handled: list[str] = field(default_factory=list)
    last_ts: int = 0

    def add(self, event_id: str, timestamp: int) -> None:
        self.handled.append(event_id)
        del self.handled[:-HANDLED_PER_ROOM]
        self.last_ts = max(self.last_ts, timestamp)


@dataclass
class AdapterState:
    path: Path
    user_id: str | None = None
    device_id: str | None = None
    access_token: str | None = None
    since: str | None = None
    first_run_ms: int = 0
    rooms: dict[str, RoomMark] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)  # upgraded room → its replacement

    @classmethod
    def load(cls, directory: Path) -> AdapterState:
        """Read the state, or begin a new one whose history starts now."""
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = directory / STATE_FILE
        if not path.exists():
            state = cls(path=path, first_run_ms=int(time.time() * 1000))
            state.save()
            return state
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            path=path,
            user_id=raw.get("user_id"),
            device_id=raw.get("device_id"),
            access_token=raw.get("access_token"),
            since=raw.get("since"),
            first_run_ms=int(raw.get("first_run_ms", 0)),
            rooms={
                room_id: RoomMark(handled=list(mark["handled"]), last_ts=int(mark["last_ts"]))
                for room_id, mark in raw.get("rooms", {}).items()
            },
            moved=dict(raw.get("moved", {})),
        )

    def save(self) -> None:
        """Write atomically and readable by the bot's user only (it may hold an access token)."""
        raw = {
            "user_id": self.user_id,
            "device_id": self.device_id,
            "access_token": self.access_token,
            "since": self.since,
            "first_run_ms": self.first_run_ms,
            "rooms": {
                room_id: {"handled": mark.handled, "last_ts": mark.last_ts}
                for room_id, mark in self.rooms.items()
            },
            "moved": self.moved,
        }
        temporary = self.path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(raw, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)

    def is_new(self, room_id: str, event_id: str, timestamp: int) -> bool:
        """True for a message sent since the first run and not answered yet."""
        if timestamp < self.first_run_ms:
            return False
        mark = self.rooms.get(room_id)
        return mark is None or event_id not in mark.handled

    def is_covered(self, room_id: str, event_id: str, timestamp: int) -> bool:
        """True when paging back has reached what was already seen (or the first run)."""
        if timestamp < self.first_run_ms:
            return True
        mark = self.rooms.get(room_id)
        return mark is not None and (event_id in mark.handled or timestamp <= mark.last_ts)

    def mark_handled(self, room_id: str, event_id: str, timestamp: int) -> None:
        self.rooms.setdefault(room_id, RoomMark()).add(event_id, timestamp)

    def forget_room(self, room_id: str) -> None:
        self.rooms.pop(room_id, None)

    def current_room(self, room_id: str) -> str:
        """The room that replaces ``room_id`` after upgrades (itself when never upgraded)."""
        seen = {room_id}
        while room_id in self.moved and self.moved[room_id] not in seen:
            room_id = self.moved[room_id]
            seen.add(room_id)
        return room_id

    def earlier_rooms(self, room_id: str) -> list[str]:
        """The rooms that ``room_id`` replaced, newest first."""
        earlier: list[str] = []
        replaced = {new: old for old, new in self.moved.items()}
        while room_id in replaced and replaced[room_id] not in earlier:
            room_id = replaced[room_id]
            earlier.append(room_id)
        return earlier
