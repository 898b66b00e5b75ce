"""What can be wrong with an entry, as the person chooses it and as admins read it."""

from __future__ import annotations

from enum import StrEnum

from bot.i18n import N_, Translator


class Reason(StrEnum):
    MOVED = "moved"
    CLOSED = "closed"
    PHONE = "phone"
    HOURS = "hours"
    OTHER = "other"


LABELS = {
    Reason.MOVED: N_("It has moved"),
    Reason.CLOSED: N_("It has closed"),
    Reason.PHONE: N_("The phone number is wrong"),
    Reason.HOURS: N_("The opening hours are wrong"),
    Reason.OTHER: N_("Something else"),
}


def parse(value: str) -> Reason | None:
    """The reason a button carries, or None when the value is not one that was offered."""
    try:
        return Reason(value)
    except ValueError:
        return None


def label(reason: str, t: Translator) -> str:
    """The reason in ``t``'s language; a value stored by an older version is shown as it is."""
    known = parse(reason)
    return t.gettext(LABELS[known]) if known else reason
