"""In-process notices of course changes, so features (e.g. reminders) can tell the people affected.

A tiny publisher instead of a message bus: the CLI and the bot share one process per command, and
the listeners only need to know *which* course changed and *how*.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger(__name__)

ChangeKind = Literal["changed", "retired"]


@dataclass(frozen=True)
class CourseChanged:
    course_id: str
    kind: ChangeKind


Listener = Callable[[CourseChanged], None]

_listeners: list[Listener] = []


def subscribe(callback: Listener) -> Callable[[], None]:
    """Call ``callback`` for every published change; returns a function that unsubscribes."""
    _listeners.append(callback)

    def unsubscribe() -> None:
        if callback in _listeners:
            _listeners.remove(callback)

    return unsubscribe


def publish(change: CourseChanged) -> None:
    """Tell every listener; one failing listener must not keep the others from hearing it."""
    for callback in list(_listeners):
        try:
            callback(change)
        except Exception:
            log.exception("a course change listener failed")
