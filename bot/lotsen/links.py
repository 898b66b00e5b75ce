"""The links a Lotse shares: a Telegram deep link and a Matrix link with its first message.

Telegram passes ``?start=<payload>`` to the bot by itself. A matrix.to link can only open the
chat with the bot, so the payload travels in the first message the person sends: ``!start
<payload>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from bot.settings import Settings

MATRIX_START = "!start"


@dataclass(frozen=True)
class Links:
    payload: str
    telegram: str | None
    matrix: str | None
    matrix_message: str


def telegram_link(username: str, payload: str) -> str:
    return f"https://t.me/{username.strip().lstrip('@')}?start={payload}"


def matrix_link(matrix_user: str) -> str:
    return f"https://matrix.to/#/{quote(matrix_user.strip(), safe='@:')}"


def matrix_start_message(payload: str) -> str:
    return f"{MATRIX_START} {payload}"


def links_for(settings: Settings, payload: str) -> Links:
    """Both links for a payload; a platform the bot is not configured for has none."""
    return Links(
        payload=payload,
        telegram=telegram_link(settings.telegram_username, payload)
        if settings.telegram_username
        else None,
        matrix=matrix_link(settings.matrix_user) if settings.matrix_user else None,
        matrix_message=matrix_start_message(payload),
    )
