"""Turn a Matrix room event into the core's ``Incoming``.

Matrix clients treat ``/word`` as a client command, so the bot's commands are written with ``!``:
``!start <payload>`` is the deep-link start (the first message of a Lotse link), and any other
``!command args`` reaches the core as ``/command args`` (a ``/command`` sent anyway works too).
Notices are ignored: they are what bots send, and answering them would let two bots talk forever.
"""

from __future__ import annotations

import re

from nio import (
    BadEvent,
    Event,
    RoomEncryptedMedia,
    RoomMessageEmote,
    RoomMessageMedia,
    RoomMessageNotice,
    RoomMessageText,
    RoomMessageUnknown,
    StickerEvent,
)

from bot.core import sanitise
from bot.core.messages import GeoPoint, Incoming, Kind

PLATFORM = "matrix"
_COMMAND = re.compile(r"^[!/]([A-Za-z][\w-]*)(?:\s+(.*))?$", re.DOTALL)
_GEO_URI = re.compile(r"^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted ``> <@user> …`` lines clients put above a reply."""
    lines = body.splitlines()
    if not lines or not lines[0].startswith("> "):
        return body
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).strip()


def parse_geo_uri(uri: str) -> GeoPoint | None:
    match = _GEO_URI.match(uri.strip())
    if match is None:
        return None
    latitude, longitude = float(match.group(1)), float(match.group(2))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return GeoPoint(latitude=latitude, longitude=longitude)


def _from_text(base: dict, body: str) -> Incoming:
    text = strip_reply_fallback(sanitise.text(body)).strip()
    match = _COMMAND.match(text)
    if match is None:
        return Incoming(**base, kind=Kind.TEXT, text=text)
    command, rest = match.group(1).lower(), (match.group(2) or "").strip()
    if command == "start":
        return Incoming(**base, kind=Kind.START, text=text, payload=rest or None)
    return Incoming(**base, kind=Kind.TEXT, text=f"/{command} {rest}".rstrip())


def to_incoming(room_id: str, event: Event | BadEvent) -> Incoming | None:
    """The ``Incoming`` for a user's message, or None for events that need no answer."""
    base = {"platform": PLATFORM, "chat_id": room_id, "user_id": event.sender}
    if isinstance(event, RoomMessageNotice):
        return None
    if isinstance(event, BadEvent):
        # A message whose content breaks the spec (a client's bug): say what can be read.
        content = event.source.get("content", {})
        if event.type != "m.room.message" or content.get("msgtype") == "m.notice":
            return None
        return Incoming(**base, kind=Kind.UNSUPPORTED)
    if isinstance(event, RoomMessageText | RoomMessageEmote):
        return _from_text(base, event.body)
    if isinstance(event, RoomMessageUnknown) and event.msgtype == "m.location":
        point = parse_geo_uri(str(event.content.get("geo_uri", "")))
        if point is not None:
            return Incoming(**base, kind=Kind.LOCATION, location=point)
        return Incoming(**base, kind=Kind.UNSUPPORTED)
    if isinstance(event, RoomMessageMedia | RoomEncryptedMedia | RoomMessageUnknown | StickerEvent):
        return Incoming(**base, kind=Kind.UNSUPPORTED)
    return None
