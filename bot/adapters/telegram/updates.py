"""Telegram updates as the core's ``Incoming`` messages.

Only what the dialogue needs crosses over: ids, the text, a deep-link payload, a button value or a
location, and the client's language. Names and media never leave this module.
"""

from __future__ import annotations

import re

from telegram import CallbackQuery, Message

from bot.core import sanitise
from bot.core.messages import GeoPoint, Incoming, Kind

PLATFORM = "telegram"
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_COMMAND = re.compile(
    r"/(?P<name>[A-Za-z0-9_]{1,32})(?:@(?P<bot>[A-Za-z0-9_]+))?(?P<rest>\s.*)?", re.S
)


def start_payload(args: str) -> str | None:
    """The deep-link payload when it is one Telegram allows; anything else starts normally."""
    payload = args.strip()
    return payload if _PAYLOAD.fullmatch(payload) else None


def language_of(code: str | None) -> str | None:
    """The primary subtag of the client's IETF language tag ("pt-BR" -> "pt")."""
    if not code:
        return None
    return code.split("-")[0].split("_")[0].lower() or None


def from_message(message: Message, bot_username: str | None) -> Incoming | None:
    """A new message in a private chat, made safe; None for what the core has no use for."""
    found = _from_message(message, bot_username)
    return sanitise.incoming(found) if found is not None else None


def _from_message(message: Message, bot_username: str | None) -> Incoming | None:
    user = message.from_user
    if user is None or user.is_bot:
        return None
    base = {
        "platform": PLATFORM,
        "chat_id": str(message.chat.id),
        "user_id": str(user.id),
        "language_code": language_of(user.language_code),
    }
    if message.text is not None:
        command = _COMMAND.fullmatch(message.text)
        if command and command["bot"] and command["bot"].lower() != (bot_username or "").lower():
            return None  # a command for another bot
        if command and command["name"].lower() == "start":
            payload = start_payload(command["rest"] or "")
            return Incoming(**base, kind=Kind.START, text="/start", payload=payload)
        text = message.text
        if command and command["bot"]:
            text = f"/{command['name']}{command['rest'] or ''}"
        return Incoming(**base, kind=Kind.TEXT, text=text)
    if message.location is not None:
        point = GeoPoint(message.location.latitude, message.location.longitude)
        return Incoming(**base, kind=Kind.LOCATION, location=point)
    if message.effective_attachment is not None:
        return Incoming(**base, kind=Kind.UNSUPPORTED)
    return None  # service messages (pins, joins, …)


def from_callback(query: CallbackQuery) -> Incoming | None:
    """A pressed inline button; answers go to the private chat with whoever pressed it."""
    if not query.data:
        return None
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    incoming = Incoming(
        platform=PLATFORM,
        chat_id=str(chat_id),
        user_id=str(query.from_user.id),
        kind=Kind.BUTTON,
        button=query.data,
        language_code=language_of(query.from_user.language_code),
    )
    return sanitise.incoming(incoming)
