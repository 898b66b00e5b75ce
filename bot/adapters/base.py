"""What the process runner needs from every adapter."""

from __future__ import annotations

from typing import Protocol

from bot.core.messages import Reply


class Adapter(Protocol):
    platform: str

    async def start(self) -> None:
        """Connect and begin handing messages to the core; returns once running."""
        ...

    async def stop(self) -> None:
        """Finish in-flight work and disconnect."""
        ...

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver a message the user did not ask for just now (reminders, relayed answers)."""
        ...
