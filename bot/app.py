"""The composition root: one place that wires settings, database, clock, events, the dialogue,
the outbox and the features together, for every adapter and the scheduler in one process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Engine

from bot.clock import Clock, SystemClock
from bot.core.conversation import Dialogue
from bot.core.dialogue.routing import RouterIndex
from bot.core.events import EventBus
from bot.core.features import Feature
from bot.core.outbox import Outbox
from bot.monitoring import counters as monitoring
from bot.settings import Settings
from services_catalog.db import ensure_current, make_engine

log = logging.getLogger(__name__)


class Background(Protocol):
    """Something that runs beside the adapters, such as the reminder scheduler."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Wegweiser:
    settings: Settings
    engine: Engine
    clock: Clock
    events: EventBus
    outbox: Outbox
    features: list[Feature] = field(default_factory=list)
    background: list[Background] = field(default_factory=list)
    router_index: RouterIndex = field(init=False)
    conversation: Dialogue = field(init=False)

    def __post_init__(self) -> None:
        self.router_index = RouterIndex(self.clock)
        # The dialogue shares the features list, so features registered later are seen.
        self.conversation = Dialogue(
            self.engine,
            self.clock,
            self.events,
            self.features,
            self.router_index,
            default_region=self.settings.default_region,
        )

    async def start(self) -> None:
        for service in self.background:
            await service.start()

    async def stop(self) -> None:
        for service in reversed(self.background):
            await service.stop()


def _register_features(app: Wegweiser) -> None:
    """Every feature of the bot, in the order their buttons appear under a card."""
    from bot.feedback.feature import FeedbackFeature
    from bot.interpreter.wiring import install as install_interpreter
    from bot.lotsen.feature import LotsenFeature
    from bot.reminders.feature import RemindersFeature
    from bot.reminders.service import ReminderService

    app.features.append(RemindersFeature())
    app.background.append(ReminderService(app))
    install_interpreter(app)
    app.features.append(LotsenFeature())
    app.features.append(FeedbackFeature())


def build_app(
    settings: Settings, clock: Clock | None = None, engine: Engine | None = None
) -> Wegweiser:
    """The bot for ``settings``; refuses to run on a database that is not migrated."""
    engine = engine or make_engine(settings.resolved_database_url())
    ensure_current(engine)
    app = Wegweiser(
        settings=settings,
        engine=engine,
        clock=clock or SystemClock(),
        events=EventBus(),
        outbox=Outbox(),
    )
    _register_features(app)
    monitoring.subscribe(app.events, app.engine, app.clock)
    return app
