"""The interpreter feature in the dialogue: "Need an interpreter?" under cards, and ``/requests``.

A request is stored when the person sends it; the coordination hears of it from the
``InterpreterService`` once the turn has committed (it listens for ``InterpreterRequested``).
Withdrawals (also those of ``/delete``) and a person's answers to a question go to the
coordination right after the turn committed (``Turn.after_commit``), never while its
transaction holds the database; answers are not kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.core.after_commit import after_commit
from bot.core.dialogue.common import menu_option, say
from bot.core.dialogue.text import word_count
from bot.core.events import InterpreterRequested
from bot.core.features import Turn
from bot.core.messages import Option, Reply, Span
from bot.core.outbox import Outbox
from bot.i18n import Translator, translator
from bot.interpreter import flow, notices, store
from bot.interpreter.coordination import ChatAddress, chat_of_pool
from bot.interpreter.dates import local_day, parse_day
from bot.interpreter.languages import is_known
from bot.interpreter.languages import match as match_language
from bot.interpreter.models import ACTIVE, InterpreterRequest, Kind, Status
from bot.interpreter.notices import PREFIX
from bot.interpreter.texts import summary
from bot.settings import Settings
from bot.storage.models import User
from services_catalog.db import session_scope
from services_catalog.views import CourseView, ServiceView

log = logging.getLogger(__name__)

COORDINATION_COMMANDS = ("accept", "decline", "ask", "close")
MAX_ACTIVE = 5
"""Open requests one person may have at a time, so nobody floods a pool's coordination."""
MAX_TYPED_WORDS = 3
"""A typed language or day is a word or two; longer text is something else and goes back."""

Notice = tuple[ChatAddress, Reply]


_WITH_LANGUAGE = frozenset({"lang", "kind", "date", "when", "send"})
_WITH_KIND = frozenset({"kind", "date", "when", "send"})


def _could_be_offered(parts: list[str]) -> bool:
    """Whether a button's language and kind are ones the flow offers; anything else is forged
    and must not become a request, reach a coordination chat or be counted."""
    if len(parts) >= 2 and parts[0] in _WITH_LANGUAGE and not is_known(parts[1]):
        return False
    return not (len(parts) >= 3 and parts[0] in _WITH_KIND and parts[2] not in set(Kind))


class InterpreterFeature:
    name = PREFIX
    commands = ("requests", *COORDINATION_COMMANDS)

    def __init__(self, settings: Settings, clock: Clock, outbox: Outbox, engine: Engine) -> None:
        self._settings = settings
        self._clock = clock
        self._outbox = outbox
        self._engine = engine

    # --- the dialogue's hooks -----------------------------------------------------------------

    def service_options(self, turn: Turn, service: ServiceView) -> list[Option]:
        if service.is_interpreter_pool:
            label = turn.t.gettext("Request an interpreter")
        elif flow.pool(turn) is not None:
            label = turn.t.gettext("Need an interpreter?")
        else:
            return []
        return [Option("🗣️ " + label, f"{PREFIX}:new")]

    def course_options(self, turn: Turn, course: CourseView) -> list[Option]:
        return []

    def forget_user(self, session: Session, user: User) -> None:
        """Withdraw the person's open requests, then delete all of them.

        A pool whose coordination already has a request must not keep an interpreter waiting:
        it is told, with the reference and the three facts only, once the deletion committed.
        """
        if user.id is None:
            return
        t = self._coordination_t()
        withdrawn: list[Notice] = []
        for request in self._active(session, user.id):
            chat = self._chat(session, request.pool_service_id)
            if request.announced_at is not None and chat is not None:
                withdrawn.append((chat, notices.withdrawn(request, t)))
        if withdrawn:
            after_commit(session, lambda: self._notify(withdrawn))
        store.forget_user(session, user.id)

    async def on_command(self, turn: Turn, command: str, args: str) -> list[Reply]:
        if command in COORDINATION_COMMANDS:
            text = turn.t.gettext(
                "Only the coordination of an interpreter pool can answer requests, "
                "and only in its own chat."
            )
            return [say(turn, text, [menu_option(turn)])]
        return [self._list(turn)]

    async def on_button(self, turn: Turn, value: str) -> list[Reply]:
        flow.expect(turn, None)
        parts = value.removeprefix(f"{PREFIX}:").split(":")
        if not _could_be_offered(parts):
            parts = ["forged"]
        match parts:
            case ["new"]:
                return flow.ask_language(turn)
            case ["other"]:
                return flow.ask_typed_language(turn)
            case ["lang", code]:
                return flow.choose_language(turn, code)
            case ["kind", code, kind]:
                return flow.ask_when(turn, code, kind)
            case ["date", code, kind]:
                return flow.ask_date(turn, code, kind)
            case ["when", code, kind, when]:
                return self._summary(turn, code, kind, when)
            case ["send", code, kind, when]:
                return [await self._send(turn, code, kind, when)]
            case ["cancel"]:
                return [say(turn, turn.t.gettext("Okay, nothing was sent."), [menu_option(turn)])]
            case ["list"]:
                return [self._list(turn)]
            case ["wd", reference]:
                return [self._confirm_withdraw(turn, reference)]
            case ["wdy", reference]:
                return [await self._withdraw(turn, reference)]
            case ["keep"]:
                return [say(turn, turn.t.gettext("Okay, the request stays."), [menu_option(turn)])]
            case ["ans", reference]:
                return [self._ask_answer(turn, reference)]
        return [
            say(turn, turn.t.gettext("Sorry, that button no longer works."), [menu_option(turn)])
        ]

    async def on_text(self, turn: Turn, text: str) -> list[Reply] | None:
        waiting = flow.expected(turn)
        step = waiting.get("step")
        if step == "answer":
            flow.expect(turn, None)
            return [await self._relay_answer(turn, waiting.get("ref", ""), text)]
        if step == "lang":
            code = match_language(text)
            if code is not None:
                flow.expect(turn, None)
                return flow.choose_language(turn, code)
            return self._typed_again(
                turn,
                text,
                turn.t.gettext(
                    "Sorry, I do not know a language with this name. Please write it once more, "
                    "for example “Kurdish”, or choose the menu."
                ),
            )
        if step == "date":
            code, kind = waiting.get("lang", ""), waiting.get("kind", "")
            day = parse_day(text, local_day(turn.clock.now()))
            if day is not None:
                flow.expect(turn, None)
                return self._summary(turn, code, kind, day.isoformat())
            return self._typed_again(
                turn,
                text,
                turn.t.gettext(
                    "Sorry, I could not read this day. Please write it like 12.03. or 12.03.2026 "
                    "(today or later)."
                ),
            )
        return None

    def _typed_again(self, turn: Turn, text: str, retry: str) -> list[Reply] | None:
        """Ask once more for a short answer; hand longer text, or a second miss, back."""
        waiting = flow.expected(turn)
        if word_count(text) > MAX_TYPED_WORDS or waiting.get("tried"):
            flow.expect(turn, None)
            return None
        values = {key: value for key, value in waiting.items() if key != "step"}
        flow.expect(turn, waiting["step"], **values, tried="1")
        return [say(turn, retry, [menu_option(turn)])]

    # --- sending ------------------------------------------------------------------------------

    def _chat(self, session: Session, pool_service_id: str) -> ChatAddress | None:
        return chat_of_pool(session, self._settings, pool_service_id)

    def _summary(self, turn: Turn, code: str, kind: str, when: str) -> list[Reply]:
        found = flow.pool(turn)
        if found is None:
            return flow.no_pool(turn)
        can_send = self._chat(turn.session, found.service_id) is not None
        return flow.summary(turn, code, kind, when, can_send)

    async def _send(self, turn: Turn, code: str, kind: str, when: str) -> Reply:
        t = turn.t
        found = flow.pool(turn)
        if found is None:
            return flow.no_pool(turn)[0]
        if found.languages and code not in found.languages:
            return flow.not_covered(turn, found, code)[0]
        if self._chat(turn.session, found.service_id) is None:
            return flow.summary(turn, code, kind, when, can_send=False)[0]
        draft = flow.draft(turn, found, code, kind, when)
        if draft is None:
            return flow.passed(turn, code, kind)[0]
        user_id = turn.user_id()
        request = store.same_open(
            turn.session, user_id, code, kind, draft.when_date, draft.when_choice
        )
        if request is None:
            if len(self._active(turn.session, user_id)) >= MAX_ACTIVE:
                text = t.gettext(
                    "You already have {count} open requests. "
                    "Please withdraw one you no longer need first."
                ).format(count=MAX_ACTIVE)
                return say(turn, text, [notices.list_option(t), menu_option(turn)])
            draft.user_id = user_id
            draft.reference = store.new_reference(turn.session)
            turn.session.add(draft)
            turn.session.flush()
            request = draft
            turn.events.publish(InterpreterRequested(code, kind, turn.user.region_slug))
        text = t.gettext(
            "Your request is saved and waiting to be delivered to the interpreter pool's "
            "coordination. Its reference is {reference}. I will tell you here when it has "
            "arrived and as soon as they answer. With /requests you can see or withdraw it."
        ).format(reference=request.reference)
        return say(turn, text, [notices.list_option(t), menu_option(turn)])

    def _coordination_t(self) -> Translator:
        return translator(self._settings.interpreter_coordination_language)

    async def _tell(self, chat: ChatAddress, reply: Reply) -> bool:
        """Send to a coordination chat (after the commit); False when it cannot be reached."""
        try:
            await self._outbox.send(chat.platform, chat.chat_id, reply)
        except Exception as error:
            log.warning("could not reach a coordination chat: %s", type(error).__name__)
            return False
        return True

    async def _notify(self, found: Sequence[Notice]) -> None:
        for chat, reply in found:
            await self._tell(chat, reply)

    # --- the person's requests ----------------------------------------------------------------

    def _active(self, session: Session, user_id: int) -> list[InterpreterRequest]:
        return store.active_of(session, user_id, local_day(self._clock.now()))

    def _own(self, turn: Turn, reference: str) -> InterpreterRequest | None:
        request = store.by_reference(turn.session, reference)
        if request is None or request.user_id != turn.user_id():
            return None
        return request

    def _list(self, turn: Turn) -> Reply:
        t = turn.t
        requests = self._active(turn.session, turn.user_id())
        if not requests:
            text = t.gettext("You have no open interpreter requests.")
            options = [Option("🗣️ " + t.gettext("Request an interpreter"), f"{PREFIX}:new")]
            return say(turn, text, [*options, menu_option(turn)])
        lines = [t.gettext("Your interpreter requests:")]
        options: list[Option] = []
        for request in requests:
            lines.append(f"• {request.reference}: {summary(request, t)}")
            lines.append("  " + self._status_line(turn, request))
            if request.status == Status.QUESTION:
                options.append(
                    Option(
                        t.gettext("Answer {reference}").format(reference=request.reference),
                        f"{PREFIX}:ans:{request.reference}",
                    )
                )
            options.append(
                Option(
                    t.gettext("Withdraw {reference}").format(reference=request.reference),
                    f"{PREFIX}:wd:{request.reference}",
                )
            )
        return say(turn, "\n".join(lines), [*options, menu_option(turn)])

    def _status_line(self, turn: Turn, request: InterpreterRequest) -> str:
        t = turn.t
        assert request.id is not None
        last = store.last_reply(turn.session, request.id)
        words = f" «{last.text}»" if last is not None and last.text else ""
        if request.status == Status.QUESTION:
            return t.gettext("The pool asked:") + words
        if request.status == Status.ACCEPTED:
            return t.gettext("Accepted.") + words
        return t.gettext("Waiting for an answer from the pool.")

    def _confirm_withdraw(self, turn: Turn, reference: str) -> Reply:
        t = turn.t
        request = self._own(turn, reference)
        if request is None or request.status not in ACTIVE:
            return self._gone(turn)
        text = t.gettext("Do you want to withdraw your request {reference} ({about})?").format(
            reference=request.reference, about=summary(request, t)
        )
        options = [
            Option(t.gettext("Yes, withdraw it"), f"{PREFIX}:wdy:{request.reference}"),
            Option(t.gettext("No, keep it"), f"{PREFIX}:keep"),
        ]
        return say(turn, text, options)

    def _gone(self, turn: Turn) -> Reply:
        t = turn.t
        text = t.gettext("This request is no longer open.")
        return say(turn, text, [notices.list_option(t), menu_option(turn)])

    async def _withdraw(self, turn: Turn, reference: str) -> Reply:
        t = turn.t
        request = self._own(turn, reference)
        if request is None or request.status not in ACTIVE:
            return self._gone(turn)
        store.close(request, Status.WITHDRAWN, turn.clock.now())
        text = t.gettext("Your request {reference} is withdrawn.").format(reference=reference)
        reply = say(turn, text, [notices.list_option(t), menu_option(turn)])
        chat = self._chat(turn.session, request.pool_service_id)
        if request.announced_at is not None and chat is not None:
            notice = notices.withdrawn(request, self._coordination_t())

            async def tell() -> None:
                if await self._tell(chat, notice):
                    told = t.gettext("I told the pool's coordination.")
                    reply.spans.append(Span(" " + told))

            turn.after_commit(tell)
        return reply

    def _ask_answer(self, turn: Turn, reference: str) -> Reply:
        request = self._own(turn, reference)
        if request is None or request.status != Status.QUESTION:
            return self._gone(turn)
        flow.expect(turn, "answer", ref=request.reference)
        text = turn.t.gettext(
            "Please write your answer in one message. I will pass it on to the pool's "
            "coordination and not keep it."
        )
        return say(turn, text, [menu_option(turn)])

    async def _relay_answer(self, turn: Turn, reference: str, text: str) -> Reply:
        t = turn.t
        request = self._own(turn, reference)
        if request is None or request.status != Status.QUESTION:
            return self._gone(turn)
        chat = self._chat(turn.session, request.pool_service_id)
        failed = t.gettext("Sorry, I could not pass on your answer right now. Please try later.")
        options = [notices.list_option(t), menu_option(turn)]
        if chat is None:
            return say(turn, failed, options)
        answer = notices.answer_from_person(request, text, self._coordination_t())
        reply = say(turn, failed, options)
        request_id = request.id

        async def relay() -> None:
            if await self._tell(chat, answer):
                assert request_id is not None
                await asyncio.to_thread(self._answered, request_id, turn.clock.now())
                passed = t.gettext("Thank you. I passed your answer on to the pool's coordination.")
                reply.spans[:] = [Span(passed)]

        turn.after_commit(relay)
        return reply

    def _answered(self, request_id: int, now: datetime) -> None:
        """The person's answer arrived: the request waits for the coordination again."""
        with session_scope(self._engine) as session:
            request = session.get(InterpreterRequest, request_id)
            if request is not None and request.status == Status.QUESTION:
                request.status = Status.OPEN
                request.last_raised_at = now
                request.times_raised = 0
