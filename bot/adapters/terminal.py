"""Wegweiser in a terminal: one message per line in, replies out, options as numbered lists.

Works interactively (with a prompt) and with piped stdin (each line echoed, so the transcript
reads like a chat). ``/location LAT LON`` shares a location, as a phone would. Right-to-left
replies are isolated line by line so Arabic and Persian keep their numbers and punctuation.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import TextIO

from bot.core import sanitise
from bot.core.formatting import isolate_direction, numbered_options
from bot.core.messages import GeoPoint, Incoming, Kind, Reply
from bot.core.ports import Conversation
from bot.i18n import translator

PLATFORM = "terminal"
_LOCATION = re.compile(r"/location\s+(-?\d+(?:\.\d+)?)[\s,]+(-?\d+(?:\.\d+)?)\s*")


def render(reply: Reply, files_dir: Path | None = None) -> str:
    """The reply as terminal text; a file is saved into ``files_dir`` and named."""
    lines = reply.plain_text.splitlines() if reply.plain_text else []
    if reply.venue is not None:
        venue = reply.venue
        lines.append(
            f"🗺️ https://www.openstreetmap.org/?mlat={venue.latitude}&mlon={venue.longitude}"
        )
    if reply.attachment is not None:
        if files_dir is not None:
            files_dir.mkdir(parents=True, exist_ok=True)
            path = files_dir / Path(reply.attachment.filename).name
            path.write_bytes(reply.attachment.data)
            lines.append(f"📎 {path}")
        else:
            lines.append(f"📎 {reply.attachment.filename}")
    if reply.location_hint:
        lines.append(
            translator(reply.lang).gettext(
                "Tip: type /location and your latitude and longitude, for example "
                "/location 54.09 12.13, to share where you are."
            )
        )
    lines.extend(numbered_options(reply))
    return "\n".join(isolate_direction(line, reply.lang) if line else line for line in lines)


def parse_line(line: str, user_id: str, language_code: str | None) -> Incoming:
    """One typed line as the core's message."""
    line = sanitise.text(line)
    base = {"platform": PLATFORM, "chat_id": user_id, "user_id": user_id}
    location = _LOCATION.fullmatch(line)
    if location is not None:
        point = GeoPoint(float(location.group(1)), float(location.group(2)))
        return Incoming(**base, kind=Kind.LOCATION, location=point, language_code=language_code)
    return Incoming(**base, kind=Kind.TEXT, text=line, language_code=language_code)


async def _stdin_lines(prompt: str, output: TextIO) -> AsyncIterator[str]:
    while True:
        output.write(prompt)
        output.flush()
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            return
        yield line.rstrip("\r\n")


async def _iterate(lines: Iterable[str]) -> AsyncIterator[str]:
    for line in lines:
        yield line.rstrip("\r\n")


class TerminalAdapter:
    """The terminal as a platform; also a ``Transport``, so reminders show up while chatting."""

    platform = PLATFORM

    def __init__(
        self,
        conversation: Conversation,
        *,
        output: TextIO | None = None,
        user_id: str = "local",
        language_code: str | None = None,
        files_dir: Path | None = None,
    ) -> None:
        self._conversation = conversation
        self._output = output or sys.stdout
        self._user_id = user_id
        self._language_code = language_code
        self._files_dir = files_dir

    async def start(self) -> None:
        """Nothing to connect: the terminal is there."""

    async def stop(self) -> None:
        self._output.flush()

    async def send(self, chat_id: str, reply: Reply) -> None:
        self._output.write(render(reply, self._files_dir) + "\n\n")
        self._output.flush()

    async def _deliver(self, message: Incoming) -> None:
        for reply in await self._conversation.handle(message):
            await self.send(message.chat_id, reply)

    async def run(self, lines: Iterable[str] | None = None, *, interactive: bool = False) -> None:
        """Greet, then answer every line until the input ends.

        ``lines`` defaults to stdin; piped lines are echoed after "> " so the output reads as a
        conversation.
        """
        await self._deliver(
            Incoming(
                platform=PLATFORM,
                chat_id=self._user_id,
                user_id=self._user_id,
                kind=Kind.START,
                language_code=self._language_code,
            )
        )
        source = (
            _iterate(lines)
            if lines is not None
            else _stdin_lines("> " if interactive else "", self._output)
        )
        async for line in source:
            if not interactive:
                self._output.write(f"> {line}\n")
            await self._deliver(parse_line(line, self._user_id, self._language_code))
