"""Where messages the user did not just ask for leave the core: reminders, relayed answers, notices.

Each running adapter registers itself as the ``Transport`` of its platform; features only name the
platform and chat stored with the user, so they never import an adapter.
"""

from __future__ import annotations

import logging

from bot.core.messages import Reply
from bot.core.ports import Transport

log = logging.getLogger(__name__)


class NoTransport(LookupError):
    """No adapter for this platform runs in this process (yet); the send may succeed later."""


class Outbox:
    """Routes a reply to the transport of its platform."""

    def __init__(self) -> None:
        self._transports: dict[str, Transport] = {}

    def register(self, transport: Transport) -> None:
        self._transports[transport.platform] = transport

    def unregister(self, platform: str) -> None:
        self._transports.pop(platform, None)

    @property
    def platforms(self) -> frozenset[str]:
        return frozenset(self._transports)

    async def send(self, platform: str, chat_id: str, reply: Reply) -> None:
        """Deliver one reply; ``DeliveryError`` from the transport passes through unchanged."""
        transport = self._transports.get(platform)
        if transport is None:
            raise NoTransport(f"no adapter for platform {platform!r} is running")
        await transport.send(chat_id, reply)
        log.debug("sent a message on %s", platform)
