"""Which town or district the user lives in: asked once, changed with /region."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.core.dialogue import buttons, state
from bot.core.dialogue.common import label, say
from bot.core.features import Turn
from bot.core.messages import Option, Reply
from bot.core.normalise import normalise
from services_catalog.models import Region
from services_catalog.queries import regions


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
    return say(
        turn, turn.t.gettext("Where do you live? Please choose your town or district."), options
    )


def match(turn: Turn, text: str) -> Region | None:
    """The region a typed answer names ("Rostock", "rostok"), if one fits well."""
    typed = normalise(text)
    if not typed:
        return None
    names = {}
    for region in regions(turn.session):
        names[normalise(region.name)] = region
        names[normalise(region.slug)] = region
    found = process.extractOne(typed, list(names), scorer=fuzz.WRatio, score_cutoff=85)
    return names[found[0]] if found else None
