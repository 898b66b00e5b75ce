"""What a report prints is data someone could have planted: escape it for each format.

Counted values are checked before they are stored, but a report must stay harmless whatever a
row holds: in Markdown no HTML and no link or emphasis may appear, in CSV no cell may start a
spreadsheet formula. HTML is escaped by Jinja's autoescape.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def markdown(value: object) -> str:
    """One line of literal Markdown text: HTML entities for ``& < >``, and a backslash before
    what would make emphasis, code, links or table cells."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def spreadsheet_cell(value: object) -> object:
    """A CSV cell no spreadsheet reads as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
