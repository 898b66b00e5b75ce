"""What may cross from a platform into the core: text without the characters that break things.

A NUL byte fails on PostgreSQL and, kept in a user's state, breaks later turns; a lone surrogate
cannot be encoded for a reply or a log; other control characters mean nothing a person wrote.
Every adapter passes what it reads through here, and the core does again at its entry, so each
platform's quirks end at the boundary. Lengths are capped so no paste costs more than a page.
"""

from __future__ import annotations

import dataclasses
import re

from bot.core.messages import Incoming

MAX_TEXT = 8000
"""Longer messages are cut: twice what Telegram lets a person send in one message."""
MAX_ID = 255
MAX_BUTTON = 256
MAX_PAYLOAD = 256

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0 and C1 controls (tab and line feed stay), DEL, and surrogates that pair with nothing."""
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,4}")


def text(raw: str, limit: int = MAX_TEXT) -> str:
    """``raw`` without NUL, control characters and lone surrogates, cut to ``limit``."""
    return _UNSAFE.sub("", raw[: limit * 2])[:limit]


def language_code(raw: str | None) -> str | None:
    """A client's IETF language tag, or None when it is no such tag."""
    if raw is None or not _LANGUAGE_CODE.fullmatch(raw):
        return None
    return raw


def incoming(message: Incoming) -> Incoming:
    """The message with every text field made safe; one call at each boundary."""

    def optional(value: str | None, limit: int) -> str | None:
        return None if value is None else text(value, limit)

    return dataclasses.replace(
        message,
        chat_id=text(message.chat_id, MAX_ID),
        user_id=text(message.user_id, MAX_ID),
        text=text(message.text),
        language_code=language_code(message.language_code),
        payload=optional(message.payload, MAX_PAYLOAD),
        button=optional(message.button, MAX_BUTTON),
    )
