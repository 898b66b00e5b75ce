"""The way to a person: which offers can be reached, and what to offer where none can.

A card without any contact must not be the end of a conversation. The next steps, in this order:
the provider's own contact, the region's general counselling (its migration counselling: MBE,
Welcome Center, integration office), then the nationwide layer of the catalogue (offers reachable
from anywhere, such as mbeon or the TelefonSeelsorge).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.core.dialogue.ranking import fits_age
from bot.core.features import Turn
from services_catalog.queries import nationwide_for, services_for
from services_catalog.views import ServiceView

GENERAL_COUNSELLING = "migration_counselling"
"""The topic of a region's general counselling, which can point the way for any question."""

GENERAL_TOPICS = ("migration_counselling", "youth_migration")
"""The nationwide offers for any question: the online migration counselling for adults and for
young people."""

AGE_SIBLINGS = {
    "migration_counselling": "youth_migration",
    "youth_migration": "migration_counselling",
}
"""Topics whose services split one group of people by age (MBE for adults, JMD for young
people): where ages differ, both are offered."""


def reachable(view: ServiceView, today: date) -> bool:
    """Whether the card itself leads to a person: a contact, an appointment page, or a street
    address with opening hours; never while the place is temporarily closed."""
    if view.closed_on(today):
        return False
    contact = (view.phone, view.email, view.website, view.online_counselling, view.appointment_url)
    return any(contact) or bool(view.address.street and view.opening_hours)


@dataclass(frozen=True)
class NextSteps:
    """What a card or an answer offers besides its own services."""

    provider_website: str | None = None
    general: Sequence[ServiceView] = field(default_factory=tuple)
    nationwide: Sequence[ServiceView] = field(default_factory=tuple)


def _for_age(views: list[ServiceView], age: int | None) -> list[ServiceView]:
    return views if age is None else [view for view in views if fits_age(view, age)]


def nationwide(turn: Turn, topics: Sequence[str], age: int | None = None) -> list[ServiceView]:
    """The nationwide offers for ``topics`` (and their age siblings) that the user's region shows,
    for the user's age when it is known."""
    wanted = list(topics) + [AGE_SIBLINGS[t] for t in topics if t in AGE_SIBLINGS]
    views = nationwide_for(
        turn.session, turn.user.region_slug, wanted, turn.lang, today=turn.clock.now().date()
    )
    return _for_age(views, age if age is not None else turn.user.age)


def general_counselling(turn: Turn, leave_out: str | None = None) -> list[ServiceView]:
    """The region's general counselling that can be reached, best first."""
    region = turn.user.region_slug
    if not region:
        return []
    today = turn.clock.now().date()
    views = services_for(turn.session, region, GENERAL_COUNSELLING, turn.lang, today=today)
    found = [view for view in views if view.id != leave_out]
    found.sort(key=lambda view: not reachable(view, today))
    return _for_age(found, turn.user.age)[:2] or found[:2]


def fallback(turn: Turn, topics: Sequence[str], leave_out: str | None = None) -> NextSteps:
    """Next steps where the topic's own offers do not reach anyone: the region's general
    counselling and the nationwide offers for the topics, else the general nationwide ones."""
    offers = nationwide(turn, topics) or nationwide(turn, GENERAL_TOPICS)
    return NextSteps(
        general=general_counselling(turn, leave_out),
        nationwide=[view for view in offers if view.id != leave_out],
    )


def for_card(turn: Turn, view: ServiceView, topics: Sequence[str]) -> NextSteps:
    """What a local card adds: the nationwide offers of its topic, and, when the card itself
    leads to nobody, the provider's contact and the region's general counselling first."""
    if view.nationwide:
        return NextSteps()
    if reachable(view, turn.clock.now().date()):
        return NextSteps(nationwide=nationwide(turn, topics))
    steps = fallback(turn, topics, leave_out=view.id)
    return NextSteps(view.provider_website, steps.general, steps.nationwide)
