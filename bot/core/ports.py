"""The two seams between the core and the outside world.

Adapters call a ``Conversation`` with every incoming message; anything that must reach a user
later (reminders, relayed answers, notices) goes through a ``Transport`` that an adapter provides.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.messages import Incoming, Reply


class Conversation(Protocol):
    async def handle(self, message: Incoming) -> list[Reply]: ...


class DeliveryError(Exception):
    """A send that failed for good (user blocked the bot, room gone): do not retry."""


class Transport(Protocol):
    platform: str

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver one reply; raise ``DeliveryError`` when it can never be delivered."""
        ...
