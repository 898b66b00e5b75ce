"""The coordination's side: commands written in a pool's coordination chat.

``/accept REF message``, ``/decline REF reason``, ``/ask REF question`` and ``/close REF`` act on
a request of a pool this chat coordinates (``!accept …`` on Matrix); ``/requests`` lists the open
ones. Anything else said in the chat is the coordinators' own talk and gets no answer.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.clock import Clock
from bot.core.dialogue import text as typed
from bot.core.messages import Incoming, Kind, Reply
from bot.i18n import Translator, translator
from bot.interpreter import store
from bot.interpreter.coordination import (
    ChatAddress,
    chat_of_pool,
    is_coordination_chat,
    pools_of_chat,
)
from bot.interpreter.models import (
    ACTIVE,
    AWAITING_COORDINATION,
    Delivery,
    InterpreterRequest,
    ReplyKind,
    Status,
)
from bot.interpreter.relay import Relay
from bot.interpreter.texts import summary
from bot.settings import Settings
from services_catalog.db import session_scope

log = logging.getLogger(__name__)

ACTIONS: dict[str, tuple[Status, ReplyKind]] = {
    "accept": (Status.ACCEPTED, ReplyKind.ACCEPTED),
    "decline": (Status.DECLINED, ReplyKind.DECLINED),
    "ask": (Status.QUESTION, ReplyKind.QUESTION),
    "close": (Status.CLOSED, ReplyKind.CLOSED),
}


@dataclass(frozen=True)
class _Outcome:
    reply_id: int | None
    answer: str | None  # said at once when nothing was done


class CoordinationDesk:
    def __init__(self, engine: Engine, settings: Settings, clock: Clock, relay: Relay) -> None:
        self._engine = engine
        self._settings = settings
        self._clock = clock
        self._relay = relay

    def serves(self, message: Incoming) -> bool:
        return is_coordination_chat(self._engine, self._settings, message.platform, message.chat_id)

    @property
    def _t(self) -> Translator:
        return translator(self._settings.interpreter_coordination_language)

    async def handle(self, message: Incoming) -> list[Reply]:
        t = self._t
        found = typed.command(typed.clean(message.text)) if message.kind == Kind.TEXT else None
        if found is None:
            return []
        name, args = found
        chat = ChatAddress(message.platform, message.chat_id)
        try:
            if name in ACTIONS:
                return [Reply.text(await self._act(chat, name, args), t.lang)]
            if name == "requests":
                return [Reply.text(await asyncio.to_thread(self._open_requests, chat), t.lang)]
            if name == "help":
                return [Reply.text(self._help(), t.lang)]
        except Exception:
            log.exception("a coordination command failed")
            return [
                Reply.text(
                    t.gettext("Sorry, something went wrong on my side. Please try again."), t.lang
                )
            ]
        return []

    def _help(self) -> str:
        t = self._t
        return "\n".join(
            [
                t.gettext("Commands for interpreter requests:"),
                "/requests — " + t.gettext("the open requests"),
                "/accept REF … — " + t.gettext("accept, with a message for the person"),
                "/decline REF … — " + t.gettext("decline, with a reason"),
                "/ask REF … — " + t.gettext("ask the person a question"),
                "/close REF — " + t.gettext("close a request"),
            ]
        )

    async def _act(self, chat: ChatAddress, name: str, args: str) -> str:
        t = self._t
        reference, _, words = args.partition(" ")
        reference, words = store.normalise_reference(reference), words.strip()
        if not reference:
            return t.gettext("Please add the reference, for example: /{command} K7M2Q …").format(
                command=name
            )
        if name == "ask" and not words:
            return t.gettext("Please write the question after the reference.")
        outcome = await asyncio.to_thread(self._record_once, chat, name, reference, words)
        if outcome.answer is not None or outcome.reply_id is None:
            return outcome.answer or ""
        delivery = await self._relay.deliver(outcome.reply_id)
        if delivery == Delivery.SENT:
            return "✅ " + t.gettext("{reference}: passed on to the person.").format(
                reference=reference
            )
        if delivery == Delivery.FAILED:
            return t.gettext(
                "{reference}: saved, but the person can no longer be reached through the bot."
            ).format(reference=reference)
        return t.gettext("{reference}: saved; I will pass it on as soon as I can.").format(
            reference=reference
        )

    def _record_once(self, chat: ChatAddress, name: str, reference: str, words: str) -> _Outcome:
        """The change in a short transaction of its own, off the event loop."""
        with session_scope(self._engine) as session:
            return self._record(session, chat, name, reference, words)

    def _record(
        self, session: Session, chat: ChatAddress, name: str, reference: str, words: str
    ) -> _Outcome:
        """Check that this chat may act on the request, then change and note it."""
        t = self._t
        request = store.by_reference(session, reference)
        unknown = t.gettext("I do not know a request {reference}. It may have been deleted.")
        if (
            request is not None
            and chat_of_pool(session, self._settings, request.pool_service_id) != chat
        ):
            # Another pool's chat learns nothing, not even that the reference exists.
            log.info("a coordination command came from a chat that does not coordinate the pool")
            request = None
        if request is None:
            return _Outcome(None, unknown.format(reference=reference))
        allowed = ACTIVE if name == "close" else AWAITING_COORDINATION
        if request.status not in allowed:
            return _Outcome(None, self._not_open(request, t))
        status, kind = ACTIONS[name]
        now = self._clock.now()
        if status == Status.QUESTION:
            request.status = status
        else:
            store.close(request, status, now)
        request.last_raised_at = now
        reply = store.add_reply(session, request, kind, words, now)
        return _Outcome(reply.id, None)

    def _not_open(self, request: InterpreterRequest, t: Translator) -> str:
        reasons = {
            Status.ACCEPTED: t.gettext("Request {reference} was already accepted."),
            Status.DECLINED: t.gettext("Request {reference} was already declined."),
            Status.WITHDRAWN: t.gettext("The person withdrew request {reference}."),
            Status.CLOSED: t.gettext("Request {reference} is closed."),
        }
        return reasons.get(Status(request.status), reasons[Status.CLOSED]).format(
            reference=request.reference
        )

    def _open_requests(self, chat: ChatAddress) -> str:
        t = self._t
        with session_scope(self._engine) as session:
            pools = pools_of_chat(session, self._settings, chat)
            query = (
                select(InterpreterRequest)
                .where(
                    col(InterpreterRequest.pool_service_id).in_(pools),
                    col(InterpreterRequest.status).in_(AWAITING_COORDINATION),
                )
                .order_by(col(InterpreterRequest.created_at))
            )
            requests = list(session.exec(query))
            if not requests:
                return t.gettext("There are no open interpreter requests.")
            lines = [t.gettext("Open interpreter requests:")]
            for request in requests:
                line = f"• {request.reference}: {summary(request, t)}"
                if request.status == Status.QUESTION:
                    line += " — " + t.gettext("waiting for the person's answer")
                lines.append(line)
            return "\n".join(lines)
