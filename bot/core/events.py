"""Things that happen in conversations, published for whoever counts or reacts (monitoring).

Events carry no user id and no message text, so a subscriber cannot store what it never gets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConversationStarted:
    lang: str | None
    region: str | None
    referral_code: str | None


@dataclass(frozen=True)
class TopicRequested:
    """A question was understood as ``topic``; ``services_found`` 0 means an unmet need."""

    topic: str
    lang: str
    region: str | None
    services_found: int


@dataclass(frozen=True)
class CardShown:
    service_id: str
    lang: str
    region: str | None


@dataclass(frozen=True)
class ReminderSubscribed:
    course_id: str
    region: str | None


@dataclass(frozen=True)
class ReminderSent:
    course_id: str
    region: str | None


@dataclass(frozen=True)
class InterpreterRequested:
    """A request went to an interpreter pool: which language is needed where, never who asked."""

    language: str
    kind: str
    region: str | None


Event = (
    ConversationStarted
    | TopicRequested
    | CardShown
    | ReminderSubscribed
    | ReminderSent
    | InterpreterRequested
)
Subscriber = Callable[[Event], None]


class EventBus:
    """Synchronous fan-out; a failing subscriber is logged and never breaks a conversation."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    def publish(self, event: Event) -> None:
        for subscriber in self._subscribers:
            try:
                subscriber(event)
            except Exception:
                log.exception("event subscriber failed on %s", type(event).__name__)
