"""Passing the coordination's answers on to the person, exactly once, in the person's language.

An answer is stored first and marked sent only after its delivery, so a failed send is tried
again by the next run of the ``InterpreterService``; one lock keeps the coordination's own turn
and that run from sending the same answer twice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.core.messages import Reply
from bot.core.outbox import Outbox
from bot.core.ports import DeliveryError
from bot.i18n import translator
from bot.interpreter import notices
from bot.interpreter.models import CoordinatorReply, Delivery, InterpreterRequest
from bot.storage.models import User
from services_catalog.db import session_scope

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Prepared:
    platform: str
    chat_id: str
    message: Reply
    blocked: bool


class Relay:
    def __init__(self, engine: Engine, outbox: Outbox) -> None:
        self._engine = engine
        self._outbox = outbox
        self._lock = asyncio.Lock()

    async def deliver(self, reply_id: int) -> Delivery | None:
        """Send one stored answer; its delivery state afterwards (None: nothing to send)."""
        async with self._lock:
            prepared = await asyncio.to_thread(self._prepare, reply_id)
            if prepared is None:
                return None
            if prepared.blocked:
                return await asyncio.to_thread(self._mark, reply_id, Delivery.FAILED)
            try:
                await self._outbox.send(prepared.platform, prepared.chat_id, prepared.message)
            except DeliveryError:
                log.info("an interpreter answer could not be delivered: the person is unreachable")
                return await asyncio.to_thread(self._mark, reply_id, Delivery.FAILED)
            except Exception as error:
                log.warning("an interpreter answer will be tried again: %s", type(error).__name__)
                return Delivery.PENDING
            return await asyncio.to_thread(self._mark, reply_id, Delivery.SENT)

    def _prepare(self, reply_id: int) -> _Prepared | None:
        with session_scope(self._engine) as session:
            reply = session.get(CoordinatorReply, reply_id)
            if reply is None or reply.delivery != Delivery.PENDING:
                return None
            request = session.get(InterpreterRequest, reply.request_id)
            user = session.get(User, request.user_id) if request is not None else None
            if request is None or user is None:
                return None
            message = notices.relayed(request, reply.kind, reply.text, translator(user.language))
            return _Prepared(user.platform, user.chat_id, message, user.blocked)

    def _mark(self, reply_id: int, delivery: Delivery) -> Delivery:
        with session_scope(self._engine) as session:
            reply = session.get(CoordinatorReply, reply_id)
            if reply is not None:
                reply.delivery = delivery
        return delivery
