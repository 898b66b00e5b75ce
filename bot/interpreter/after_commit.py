"""Messages to coordination chats that may leave only once the transaction behind them committed.

``/delete`` withdraws a person's open requests and deletes them in the turn's own transaction.
The coordination has to hear of each withdrawal, but only when the deletion really happened, and
by then the rows are gone: so the messages are built while the rows still exist and leave through
the outbox from SQLAlchemy's ``after_commit`` hook. A turn that fails rolls back and tells nobody.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from sqlalchemy import event
from sqlmodel import Session

from bot.core.messages import Reply
from bot.core.outbox import Outbox
from bot.interpreter.coordination import ChatAddress

log = logging.getLogger(__name__)

Notice = tuple[ChatAddress, Reply]
_PENDING = "interpreter_notices_after_commit"
"""The key in ``Session.info`` under which a session's waiting notices are kept."""


class AfterCommit:
    """Holds notices per session until it commits, then sends them without holding up the turn."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._tasks: set[asyncio.Task[None]] = set()

    def send(self, session: Session, notices: Iterable[Notice]) -> None:
        """Send ``notices`` once ``session`` commits; they are dropped if it rolls back."""
        found = list(notices)
        if not found:
            return
        if _PENDING not in session.info:
            session.info[_PENDING] = []
            event.listen(session, "after_commit", self._committed)
            event.listen(session, "after_rollback", self._rolled_back)
        session.info[_PENDING].extend(found)

    async def settle(self) -> None:
        """Wait until the notices under way have been sent (or failed)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    def _committed(self, session: Session) -> None:
        found: list[Notice] = session.info[_PENDING]
        session.info[_PENDING] = []
        if not found:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            log.warning("%d coordination notices could not be sent outside the bot", len(found))
            return
        task = loop.create_task(self._send_all(found))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _rolled_back(self, session: Session) -> None:
        session.info[_PENDING] = []

    async def _send_all(self, notices: list[Notice]) -> None:
        for chat, reply in notices:
            try:
                await self._outbox.send(chat.platform, chat.chat_id, reply)
            except Exception as error:
                log.warning("a coordination chat could not be reached: %s", type(error).__name__)
