"""A core ``Reply`` as Telegram messages: escaped HTML in pieces of at most 4,096 characters,
options as an inline keyboard under the last piece.

Splitting works on the reply's spans before escaping, so a cut never lands inside a tag or an
entity: a span that is cut is closed and opened again in the next piece.
"""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.formatting import span_to_html
from bot.core.messages import Option, Span

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096
"""Telegram's limit, counted in UTF-16 code units of the text after entities are parsed."""
MAX_CALLBACK_DATA = 64
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"\s"))


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fitting_prefix(text: str, start: int, limit: int) -> int:
    """The end of the longest piece from ``start`` whose UTF-16 length is within ``limit``."""
    end = min(len(text), start + limit)  # each character is at least one code unit
    while utf16_length(text[start:end]) > limit:
        end -= max(1, (utf16_length(text[start:end]) - limit) // 2)
    return end


def cut_points(text: str, limit: int = MAX_MESSAGE) -> list[tuple[int, int]]:
    """Ranges of ``text`` to send as separate messages: cut at the last paragraph break that
    fits, else the last line break, else the last space, else (one endless word) anywhere."""
    pieces: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = _fitting_prefix(text, start, limit)
        next_start = end
        if end < len(text):
            window = text[start:end]
            for pattern in _BREAKS:
                found = [m for m in pattern.finditer(window) if m.start() > 0]
                if found:
                    end, next_start = start + found[-1].start(), start + found[-1].end()
                    break
        if text[start:end].strip():
            pieces.append((start, end))
        start = next_start
    return pieces


def split_spans(spans: list[Span], limit: int = MAX_MESSAGE) -> list[list[Span]]:
    """The spans regrouped into messages that each fit Telegram's limit."""
    text = "".join(span.text for span in spans)
    if utf16_length(text) <= limit:
        return [spans] if text.strip() else []
    chunks: list[list[Span]] = []
    for start, end in cut_points(text, limit):
        chunk: list[Span] = []
        offset = 0
        for span in spans:
            span_start, span_end = offset, offset + len(span.text)
            offset = span_end
            low, high = max(start, span_start), min(end, span_end)
            if low < high:
                piece = span.text[low - span_start : high - span_start]
                chunk.append(Span(piece, span.style, span.url))
        chunks.append(chunk)
    return chunks


def html_pieces(spans: list[Span], limit: int = MAX_MESSAGE) -> list[str]:
    return ["".join(span_to_html(span) for span in chunk) for chunk in split_spans(spans, limit)]


def keyboard(options: list[Option]) -> InlineKeyboardMarkup | None:
    """One button a row, so long labels in any language stay readable on small phones.

    A value longer than Telegram's 64 bytes cannot be a button; it is left out (and logged),
    and the option can still be chosen by its number.
    """
    rows = []
    for option in options:
        if len(option.value.encode()) > MAX_CALLBACK_DATA:
            log.warning("option value of %d bytes left out of a keyboard", len(option.value))
            continue
        rows.append([InlineKeyboardButton(option.label, callback_data=option.value)])
    return InlineKeyboardMarkup(rows) if rows else None
