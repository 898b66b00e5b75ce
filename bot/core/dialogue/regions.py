"""Which town or district the user lives in: asked once, changed with /region.

People type the place in their own script and spelling ("Росток", "روستوك", "rostok", "in
Rostock"), so an answer is compared with every name the catalogue gives a region: its name, its
slug and its aliases. Each name is compared with runs of as many typed words as it has, so a
sentence around the name does not hide it, while a short alias ("HRO") never matches inside an
unrelated longer word. A German postcode finds the region that lists it, or whose middle it
lies close to; a place the catalogue does not cover is answered with the nearest region it does.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from sqlmodel import Session

from bot.core.dialogue import buttons, cards, reach, state
from bot.core.dialogue.common import distance_text, label, say
from bot.core.features import Turn
from bot.core.messages import GeoPoint, Option, Reply
from bot.core.normalise import normalise
from services_catalog.models import Region
from services_catalog.places import Nearest, Point, postcode_in, region_at, region_for_postcode
from services_catalog.queries import region_by_slug, regions

MIN_SCORE = 85
"""How alike (0-100) typed words and a region's name must be: one typo in a short name passes."""

IN_SENTENCE_SCORE = 90
"""Stricter for a town inside a sentence about something else: only a very close spelling."""

EXACT_BELOW = 5
"""Names shorter than this (plate codes like HRO) count only when typed exactly: with one letter
more or less they are other words ("Chef" is not "HEF")."""


def ask_region(turn: Turn) -> Reply:
    """The region question; the answer may be a button, a number or the typed name."""
    known = regions(turn.session)
    if not known:
        return say(
            turn,
            turn.t.gettext(
                "I do not know any towns yet, so I cannot show services. Please try again later."
            ),
        )
    state.update(turn.user, **{"await": "region"})
    options = [
        Option(label(region.name), buttons.value(buttons.REGION, region.slug)) for region in known
    ]
    question = turn.t.gettext(
        "Where do you live? Please choose your town or district, or write your postcode."
    )
    reply = say(turn, question, options)
    reply.location_hint = True
    return reply


def unknown_place(turn: Turn, nearest: Nearest | None = None) -> list[Reply]:
    """A place the catalogue lacks: say so kindly, name the nearest region it covers when the
    place is known (postcode or location), then offer the places it knows."""
    t = turn.t
    sorry = t.gettext(
        "Sorry, Wegweiser does not cover this place yet. For now I can help in the towns and "
        "districts below."
    )
    lines = [sorry]
    region = region_by_slug(turn.session, nearest.slug) if nearest else None
    if nearest is not None and region is not None:
        closest = t.gettext("The nearest place I know is {region}, {distance}.").format(
            region=region.name, distance=distance_text(t, nearest.km)
        )
        lines.append(closest)
    pending = state.get(turn.user, "pending")
    offers = reach.nationwide(turn, [pending] if pending else [])
    offers = offers or reach.nationwide(turn, reach.GENERAL_TOPICS)
    if offers:
        lines.append(t.gettext("Wherever you live, these can help you:"))
        lines += cards.nationwide_lines(offers, t)
    return [say(turn, "\n".join(lines)), ask_region(turn)]


def place_of(turn: Turn, text: str) -> Region | Nearest | None:
    """The region a typed answer names, by name or postcode; a postcode outside every region
    gives the nearest one instead."""
    region = find_region(turn.session, text)
    if region is not None:
        return region
    postcode = postcode_in(text)
    found = region_for_postcode(turn.session, postcode) if postcode else None
    if found is not None and found.serves:
        return region_by_slug(turn.session, found.slug)
    return found


def place_at(turn: Turn, point: GeoPoint) -> Region | Nearest | None:
    """The region of a shared location, or the nearest one when no region serves it."""
    found = region_at(turn.session, Point(point.latitude, point.longitude))
    if found is not None and found.serves:
        return region_by_slug(turn.session, found.slug)
    return found


def _names(region: Region) -> set[str]:
    """Every name of the region in matching form."""
    typed = [region.name, region.slug, *(region.aliases or [])]
    return {name for name in map(normalise, typed) if name}


def _score(words: list[str], name: str) -> float:
    """How well the best run of typed words as long as ``name`` matches it."""
    size = name.count(" ") + 1
    runs = [" ".join(words[start : start + size]) for start in range(len(words) - size + 1)]
    if len(name) < EXACT_BELOW:
        return 100.0 if name in runs else 0.0
    return max((fuzz.ratio(run, name) for run in runs), default=0.0)


def find_region(session: Session, text: str, min_score: float = MIN_SCORE) -> Region | None:
    """The region a typed text names, if one fits at least ``min_score``."""
    words = normalise(text).split()
    if not words:
        return None
    scored = [
        (max(_score(words, name) for name in _names(region)), region) for region in regions(session)
    ]
    score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best if score >= min_score else None


def named_in(session: Session, text: str) -> Region | None:
    """A catalogue town a sentence names ("I moved to Koblenz, I need a job")."""
    return find_region(session, text, IN_SENTENCE_SCORE)


def offer_switch(turn: Turn, town: Region, topic: str | None) -> Reply:
    """Ask before answering for a town the user does not live in (by what they told us).

    The topic waits; "stay" shows it for the user's own town.
    """
    t, current = turn.t, region_by_slug(turn.session, turn.user.region_slug or "")
    here = current.name if current else (turn.user.region_slug or "")
    state.update(turn.user, pending=topic)
    stay = buttons.value(buttons.TOPIC, topic) if topic else buttons.value(buttons.MENU)
    options = [
        Option("📍 " + label(town.name), buttons.value(buttons.REGION, town.slug)),
        Option(label(t.gettext("No, stay in {region}").format(region=here)), stay),
    ]
    text = t.gettext(
        "You mentioned {town}. Shall I show you help in {town}? Right now your town is {region}."
    ).format(town=town.name, region=here)
    return say(turn, text, options)
