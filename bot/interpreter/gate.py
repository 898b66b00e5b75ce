"""The conversation adapters talk to: coordination chats reach the desk, everyone else the dialogue.

Messages from a pool's coordination chat must not reach the dialogue, which would take the group
for a person and give it a menu; the desk answers only its own commands there.
"""

from __future__ import annotations

import asyncio

from bot.core.messages import Incoming, Reply
from bot.core.ports import Conversation
from bot.interpreter.desk import CoordinationDesk


class CoordinationGate:
    """Implements ``bot.core.ports.Conversation`` around the dialogue."""

    def __init__(self, dialogue: Conversation, desk: CoordinationDesk) -> None:
        self.dialogue = dialogue
        self.desk = desk

    async def handle(self, message: Incoming) -> list[Reply]:
        if await asyncio.to_thread(self.desk.serves, message):
            return await self.desk.handle(message)
        return await self.dialogue.handle(message)
