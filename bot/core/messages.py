"""What adapters hand to the core and what the core hands back.

Plain dataclasses, as opsdroid's events are: an adapter turns a platform event into an
``Incoming`` and renders each ``Reply`` as well as its platform allows (inline keyboards on
Telegram, numbered lists on Matrix and in the terminal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What the user sent; anything but text, a button or a location gets a polite request."""

    TEXT = "text"
    BUTTON = "button"
    LOCATION = "location"
    START = "start"
    UNSUPPORTED = "unsupported"  # voice notes, photos, stickers, documents …


@dataclass(frozen=True, slots=True)
class GeoPoint:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from a user, whatever the platform.

    ``chat_id`` is where replies go; ``user_id`` identifies the person on that platform.
    ``payload`` is a deep-link start payload (Telegram ``/start PAYLOAD``, Matrix ``!start``),
    ``button`` the value of a pressed option.
    """

    platform: str
    chat_id: str
    user_id: str
    kind: Kind = Kind.TEXT
    text: str = ""
    language_code: str | None = None
    payload: str | None = None
    button: str | None = None
    location: GeoPoint | None = None


class Style(StrEnum):
    PLAIN = "plain"
    BOLD = "bold"
    ITALIC = "italic"
    LINK = "link"


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one style; adapters escape ``text`` themselves."""

    text: str
    style: Style = Style.PLAIN
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """A choice the user can press, or answer by its number. ``value`` is at most 64 bytes."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Venue:
    """A place to show on a map (Telegram venue, Matrix ``geo:`` URI)."""

    latitude: float
    longitude: float
    title: str
    address: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to send, such as a course's .ics calendar."""

    filename: str
    mime_type: str
    data: bytes


@dataclass(slots=True)
class Reply:
    """One message from the bot; ``lang`` decides direction (Arabic and Persian: right to left)."""

    spans: list[Span] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    venue: Venue | None = None
    attachment: Attachment | None = None
    lang: str = "de"
    location_hint: bool = False
    """A shared location would help here: each adapter offers it its platform's way (a "share my
    location" button on Telegram, a hint how to send one elsewhere)."""

    @classmethod
    def text(cls, text: str, lang: str = "de", options: list[Option] | None = None) -> Reply:
        return cls(spans=[Span(text)], options=list(options or []), lang=lang)

    @property
    def plain_text(self) -> str:
        return "".join(span.text for span in self.spans)
