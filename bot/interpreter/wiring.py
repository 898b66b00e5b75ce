"""Plugging interpreter requests into the bot: feature, service and the coordination desk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.interpreter.desk import CoordinationDesk
from bot.interpreter.feature import InterpreterFeature
from bot.interpreter.gate import CoordinationGate
from bot.interpreter.relay import Relay
from bot.interpreter.service import InterpreterService

if TYPE_CHECKING:
    from bot.app import Wegweiser


def install(app: Wegweiser) -> None:
    """Add the feature and its service, and let coordination chats reach the desk."""
    relay = Relay(app.engine, app.outbox)
    app.features.append(InterpreterFeature(app.settings, app.clock, app.outbox, app.engine))
    app.background.append(InterpreterService(app, relay))
    desk = CoordinationDesk(app.engine, app.settings, app.clock, relay)
    app.conversation = CoordinationGate(app.conversation, desk)  # type: ignore[assignment]
