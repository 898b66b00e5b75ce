"""How a feature (reminders, interpreter requests, …) plugs into the dialogue.

The dialogue owns the menu, the topics and the service cards; a feature adds buttons to cards,
commands of its own, and multi-step flows. Buttons a feature makes carry the value
``"<feature name>:<rest>"`` and come back to that feature's ``on_button``; while
``turn.user.state["feature"]`` names a feature, free text goes to its ``on_text`` first.
A feature that also is a ``StartResolver`` reads the payloads of start links, so the core knows
no link format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from sqlmodel import Session

from bot.clock import Clock
from bot.core.after_commit import Step, after_commit
from bot.core.events import EventBus
from bot.core.messages import Incoming, Option, Reply
from bot.i18n import Translator
from bot.storage.models import User
from services_catalog.views import CourseView, ServiceView


@dataclass
class Turn:
    """One incoming message being answered: who, in which language, with an open DB session."""

    message: Incoming
    user: User
    session: Session
    t: Translator
    clock: Clock
    events: EventBus

    @property
    def lang(self) -> str:
        return self.t.lang

    def user_id(self) -> int:
        """The user's row id, flushing a user met for the first time so rows can point at it."""
        if self.user.id is None:
            self.session.add(self.user)
            self.session.flush()
        assert self.user.id is not None
        return self.user.id

    def after_commit(self, step: Step) -> None:
        """Run ``step`` (a send to another chat) once this turn's transaction committed."""
        after_commit(self.session, step)


class Feature(Protocol):
    name: str
    commands: tuple[str, ...]  # without the slash, e.g. ("reminders",)

    def service_options(self, turn: Turn, service: ServiceView) -> list[Option]:
        """Extra buttons under a service card."""
        ...

    def course_options(self, turn: Turn, course: CourseView) -> list[Option]:
        """Extra buttons under a course's dates."""
        ...

    async def on_command(self, turn: Turn, command: str, args: str) -> list[Reply]: ...

    async def on_button(self, turn: Turn, value: str) -> list[Reply]: ...

    async def on_text(self, turn: Turn, text: str) -> list[Reply] | None:
        """Free text while this feature's flow is active; None hands it back to the dialogue."""
        ...

    def forget_user(self, session: Session, user: User) -> None:
        """Delete everything this feature stores about ``user`` (``/delete``)."""
        ...


@dataclass(frozen=True)
class StartPreset:
    """What a start link sets before the first question; ``None`` fields are left to the user.

    ``referral_code`` names who shared the link; it is counted once per person (see onboarding).
    """

    lang: str | None = None
    region: str | None = None
    topic: str | None = None
    service_id: str | None = None
    referral_code: str | None = None


@runtime_checkable
class StartResolver(Protocol):
    """A feature that understands the payload of a start link (Telegram deep link, ``!start``)."""

    def resolve_start(self, turn: Turn, payload: str) -> StartPreset | None:
        """The presets ``payload`` asks for, or None when it is not this feature's."""
        ...
