"""Values of the dialogue's own buttons: ``core:<action>[:<argument>]``.

Features' buttons start with their own name instead, so one prefix check tells them apart.
Telegram allows 64 bytes per value; catalogue ids are short slugs, so values stay well below.
"""

from __future__ import annotations

PREFIX = "core"

LANGUAGE = "lang"
REGION = "region"
MENU = "menu"
TOPIC = "topic"
SERVICE = "svc"
COURSES = "courses"
WHERE = "where"
SWITCH = "switch"
KEEP = "keep"
DELETE = "delete"
KEEP_DATA = "keepdata"
EMERGENCY = "sos"


def value(action: str, argument: str = "") -> str:
    return f"{PREFIX}:{action}:{argument}" if argument else f"{PREFIX}:{action}"


def parse(button: str) -> tuple[str, str] | None:
    """``(action, argument)`` of a dialogue button, None for a feature's button."""
    prefix, _, rest = button.partition(":")
    if prefix != PREFIX:
        return None
    action, _, argument = rest.partition(":")
    return action, argument
