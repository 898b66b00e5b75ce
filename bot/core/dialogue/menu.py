"""The menu of topics, and what unclear messages get: two choices, or the menu — never a guess."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.dialogue import buttons
from bot.core.dialogue.common import label, say
from bot.core.features import Turn
from bot.core.lexicon import CRISIS
from bot.core.messages import Option, Reply, Span
from services_catalog.queries import topic_names

MENU_VALUE = buttons.value(buttons.MENU)


def topic_options(turn: Turn) -> list[Option]:
    """Every topic of the catalogue, then the emergency numbers."""
    options = [
        Option(label(name), buttons.value(buttons.TOPIC, slug))
        for slug, name in topic_names(turn.session, turn.lang).items()
        if slug != CRISIS
    ]
    options.append(
        Option("🆘 " + turn.t.gettext("Emergency numbers"), buttons.value(buttons.EMERGENCY))
    )
    return options


def menu(turn: Turn, intro: str | None = None) -> Reply:
    text = intro or turn.t.gettext("What do you need help with? Choose a topic or just write it.")
    return say(turn, text, topic_options(turn))


def fallback(turn: Turn) -> Reply:
    """Unrelated or unclear text: say so kindly and show what the bot can help with."""
    return menu(
        turn,
        turn.t.gettext(
            "Sorry, I did not understand that. I can help you find counselling and support. "
            "Choose a topic, or write it in a few words (for example: German course)."
        ),
    )


def ambiguous(turn: Turn, first: str, second: str) -> Reply:
    names = topic_names(turn.session, turn.lang)
    options = [
        Option(label(names.get(slug, slug)), buttons.value(buttons.TOPIC, slug))
        for slug in (first, second)
    ]
    return say(turn, turn.t.gettext("Which of these do you mean?"), options)


def also_mentioned(turn: Turn, reply: Reply, topics: Sequence[str]) -> None:
    """Add the other needs a message named to its answer, as topics to choose next.

    They go before the way back to the menu, so numbered replies reach them too.
    """
    names = topic_names(turn.session, turn.lang)
    known = [topic for topic in topics if topic in names]
    if not known:
        return
    line = turn.t.gettext("You also mentioned:") + " " + turn.t.list([names[t] for t in known])
    reply.spans.append(Span("\n\n" + line))
    at = next(
        (index for index, option in enumerate(reply.options) if option.value == MENU_VALUE),
        len(reply.options),
    )
    reply.options[at:at] = [
        Option(label(names[topic]), buttons.value(buttons.TOPIC, topic)) for topic in known
    ]
