"""The router, rebuilt only when the catalogue changes or a new day begins.

Building the match indexes takes far longer than routing one message, and the catalogue's
service names feed them; so one ``Router`` serves every message until ``catalogue_revision``
moves on, or until the date changes and services whose valid-until date has passed drop out.
"""

from __future__ import annotations

import logging
import threading
from datetime import date
from pathlib import Path

from sqlmodel import Session

from bot.clock import Clock, SystemClock
from bot.core.router import Router
from bot.core.semantic.stage import SemanticStage, shared_stage
from services_catalog.queries import catalogue_revision, router_entries

log = logging.getLogger(__name__)


class RouterIndex:
    """Holds the current ``Router`` and the catalogue revision it was built from."""

    def __init__(
        self,
        clock: Clock | None = None,
        locales_dir: Path | None = None,
        semantic: SemanticStage | None = None,
    ) -> None:
        self._clock = clock or SystemClock()
        self._locales_dir = locales_dir
        self._semantic = semantic or shared_stage()
        self._semantic.warm_up()  # the model loads in a thread while the bot starts
        self._router: Router | None = None
        self._built_for: tuple[int, date] | None = None
        self._lock = threading.Lock()

    @property
    def latest(self) -> Router | None:
        """The router built last, without asking the database whether it is still current."""
        return self._router

    def router(self, session: Session) -> Router:
        wanted = (catalogue_revision(session), self._clock.now().date())
        if self._router is None or wanted != self._built_for:
            with self._lock:
                if self._router is None or wanted != self._built_for:
                    self._router = Router.from_locales(
                        self._locales_dir,
                        extra=router_entries(session, today=wanted[1]),
                        semantic=self._semantic,
                    )
                    self._built_for = wanted
                    log.debug("router built for catalogue revision %s", wanted[0])
        return self._router
