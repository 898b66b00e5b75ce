"""/help, /privacy and /delete: what the bot can do, what it stores, and forgetting it all."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.dialogue import buttons, state, users
from bot.core.dialogue.common import menu_option, say
from bot.core.features import Feature, Turn
from bot.core.messages import Option, Reply


def help_text(turn: Turn, intro: str | None = None) -> Reply:
    t = turn.t
    lines = [
        *([intro, ""] if intro else []),
        t.gettext(
            "Write in a few words what you need, in your language, for example "
            "“German course” or “help with letters from the Jobcenter”. "
            "Where I show choices, you can also answer with their number."
        ),
        "",
        "/menu — " + t.gettext("topics"),
        "/language — " + t.gettext("change the language"),
        "/region — " + t.gettext("change your town"),
        "/reminders — " + t.gettext("your course reminders"),
        "/requests — " + t.gettext("your interpreter requests"),
        "/privacy — " + t.gettext("what I store about you"),
        "/delete — " + t.gettext("delete everything I store about you"),
    ]
    return say(turn, "\n".join(lines), [menu_option(turn)])


def privacy(turn: Turn) -> Reply:
    text = turn.t.gettext(
        "I store only what I need to answer you: your user ID on this app, your language, "
        "your town, your age if you told me, your course reminders and your interpreter requests. "
        "I do not keep your messages. Interpreter pools get your requests without your name or ID. "
        "The city only gets anonymous counts, without names or IDs. "
        "You can see your reminders with /reminders and your requests with /requests. "
        "With /delete you can delete everything at any time."
    )
    if state.get(turn.user, "referred"):
        text += " " + turn.t.gettext(
            "If you came through a link someone shared, I also keep that link's code, "
            "so that you are counted only once."
        )
    return say(turn, text, [menu_option(turn)])


def no_reminders(turn: Turn) -> Reply:
    return say(
        turn, turn.t.gettext("Course reminders are not available here yet."), [menu_option(turn)]
    )


def confirm_delete(turn: Turn) -> Reply:
    t = turn.t
    options = [
        Option(t.gettext("Yes, delete everything"), buttons.value(buttons.DELETE)),
        Option(t.gettext("No, keep my data"), buttons.value(buttons.KEEP_DATA)),
    ]
    text = t.gettext(
        "Shall I delete everything I store about you "
        "(language, town, age, reminders, interpreter requests)? This cannot be undone."
    )
    return say(turn, text, options)


def delete(turn: Turn, features: Sequence[Feature]) -> Reply:
    """Removes the user and every feature's rows; the reply is built before the row is gone."""
    reply = say(
        turn,
        turn.t.gettext(
            "Done: I deleted everything I stored about you. "
            "Write /start if you want to begin again."
        ),
    )
    users.forget(turn.session, turn.user, features)
    return reply


def kept(turn: Turn) -> Reply:
    return say(turn, turn.t.gettext("Good, nothing was deleted."), [menu_option(turn)])


def unknown_command(turn: Turn) -> Reply:
    return help_text(turn, turn.t.gettext("I do not know this command."))
