"""Render the core's ``Reply`` as Matrix message contents.

Text goes out as ``m.notice`` (the Matrix convention for bots, which other bots do not answer)
with an HTML ``formatted_body`` and a plain ``body``; options become a numbered list, answered by
their number, and commands named in the text are shown as ``!command``. A venue becomes an
``m.location`` with a ``geo:`` URI, a file an ``m.file``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape
from typing import Any

from bot.core.formatting import to_html, to_plain
from bot.core.messages import Attachment, Option, Reply, Span, Style, Venue
from bot.i18n import translator

HTML_FORMAT = "org.matrix.custom.html"
_SLASH_COMMAND = re.compile(r"(?<![\w/:.-])/([a-z][a-z_]*)\b(?!/)")


def bang_commands(text: str) -> str:
    """``/help`` → ``!help``: Matrix clients swallow ``/…`` as their own commands."""
    return _SLASH_COMMAND.sub(r"!\1", text)


def _for_matrix(reply: Reply) -> Reply:
    spans = [
        span if span.style is Style.LINK else Span(bang_commands(span.text), span.style, span.url)
        for span in reply.spans
    ]
    options = [Option(bang_commands(option.label), option.value) for option in reply.options]
    if reply.location_hint:
        hint = translator(reply.lang).gettext(
            "Tip: you can also send your location (📎 → Location) to share where you are."
        )
        spans = [*spans, Span("\n" + hint, Style.ITALIC)]
    return replace(reply, spans=spans, options=options)


def text_content(reply: Reply) -> dict[str, Any] | None:
    """The notice for the reply's text and options, or None when it has neither."""
    if not reply.spans and not reply.options:
        return None
    reply = _for_matrix(reply)
    html = to_html(reply).replace("\n", "<br>")
    if reply.options:
        items = "".join(f"<li>{escape(option.label, quote=False)}</li>" for option in reply.options)
        html = f"{html}<ol>{items}</ol>" if html else f"<ol>{items}</ol>"
    return {
        "msgtype": "m.notice",
        "body": to_plain(reply),
        "format": HTML_FORMAT,
        "formatted_body": html,
    }


def location_content(venue: Venue) -> dict[str, Any]:
    description = ", ".join(part for part in (venue.title, venue.address) if part)
    geo_uri = f"geo:{venue.latitude:.6f},{venue.longitude:.6f}"
    return {
        "msgtype": "m.location",
        "body": f"{description} ({geo_uri})" if description else geo_uri,
        "geo_uri": geo_uri,
        "org.matrix.msc3488.location": {"uri": geo_uri, "description": description},
    }


def file_content(
    attachment: Attachment, content_uri: str, encryption: dict[str, Any] | None
) -> dict[str, Any]:
    """An ``m.file``; in encrypted rooms the key and hash travel inside the encrypted event."""
    content: dict[str, Any] = {
        "msgtype": "m.file",
        "body": attachment.filename,
        "filename": attachment.filename,
        "info": {"mimetype": attachment.mime_type, "size": len(attachment.data)},
    }
    if encryption is None:
        content["url"] = content_uri
    else:
        content["file"] = {**encryption, "url": content_uri, "mimetype": attachment.mime_type}
    return content


_EVENT_ID = re.compile(r"^\$[A-Za-z0-9+/=_.:-]{1,255}$")


class Relation:
    """How the messages of one answer relate to the question: all in the person's thread, if
    they wrote in one, and the first as a reply to the question when that helps (a coordination
    room with several people, or an answer that comes after later messages)."""

    def __init__(self, question: dict[str, Any], reply: bool) -> None:
        event_id = question.get("event_id")
        relates = question.get("content", {}).get("m.relates_to")
        root = relates.get("event_id") if isinstance(relates, dict) else None
        in_thread = isinstance(relates, dict) and relates.get("rel_type") == "m.thread"
        self._question = (
            event_id if isinstance(event_id, str) and _EVENT_ID.match(event_id) else None
        )
        self._thread = (
            root if in_thread and isinstance(root, str) and _EVENT_ID.match(root) else None
        )
        self._reply = reply or self._thread is not None
        self._first = True

    def apply(self, content: dict[str, Any]) -> dict[str, Any]:
        """``content`` with the relation of the answer's next message."""
        first, self._first = self._first, False
        relation: dict[str, Any] = {}
        if self._thread is not None:
            relation = {"rel_type": "m.thread", "event_id": self._thread}
            relation["is_falling_back"] = not (first and self._reply)
            relation["m.in_reply_to"] = {"event_id": self._question if first else self._thread}
        elif first and self._reply and self._question is not None:
            relation = {"m.in_reply_to": {"event_id": self._question}}
        return {**content, "m.relates_to": relation} if relation else content
