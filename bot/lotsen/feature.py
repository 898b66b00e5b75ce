"""Shared links in the dialogue: a start payload becomes the presets of a Lotse's link.

Lotsen add no buttons, commands or flows to a chat, and nothing about the people who open a link
is stored, so this feature only reads start payloads.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.core.features import StartPreset, Turn
from bot.core.messages import Option, Reply
from bot.lotsen.payload import resolve_start_payload
from bot.storage.models import User
from services_catalog.views import CourseView, ServiceView


class LotsenFeature:
    """Implements ``Feature`` and ``StartResolver``."""

    name = "lotse"
    commands: tuple[str, ...] = ()

    def resolve_start(self, turn: Turn, payload: str) -> StartPreset | None:
        return resolve_start_payload(turn.session, payload, turn.clock.now().date())

    def service_options(self, turn: Turn, service: ServiceView) -> list[Option]:
        return []

    def course_options(self, turn: Turn, course: CourseView) -> list[Option]:
        return []

    async def on_command(self, turn: Turn, command: str, args: str) -> list[Reply]:
        return []

    async def on_button(self, turn: Turn, value: str) -> list[Reply]:
        return []

    async def on_text(self, turn: Turn, text: str) -> list[Reply] | None:
        return None

    def forget_user(self, session: Session, user: User) -> None:
        """Nothing to delete: referral codes belong to Lotsen, not to the people they help."""
