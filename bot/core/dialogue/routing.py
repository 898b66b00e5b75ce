"""The router, rebuilt only when the catalogue changes.

Building the match indexes takes far longer than routing one message, and the catalogue's
service names feed them; so one ``Router`` serves every message until ``catalogue_revision``
moves on.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlmodel import Session

from bot.core.router import Router
from services_catalog.queries import catalogue_revision, router_entries

log = logging.getLogger(__name__)


class RouterIndex:
    """Holds the current ``Router`` and the catalogue revision it was built from."""

    def __init__(self, locales_dir: Path | None = None) -> None:
        self._locales_dir = locales_dir
        self._router: Router | None = None
        self._revision: int | None = None
        self._lock = threading.Lock()

    def router(self, session: Session) -> Router:
        revision = catalogue_revision(session)
        if self._router is None or revision != self._revision:
            with self._lock:
                if self._router is None or revision != self._revision:
                    self._router = Router.from_locales(
                        self._locales_dir, extra=router_entries(session)
                    )
                    self._revision = revision
                    log.info("router built for catalogue revision %s", revision)
        return self._router
