"""Render a ``Reply`` as escaped HTML or as plain text with numbered options.

Shared by the adapters so that escaping of user- and catalogue-provided text happens in one place.
"""

from __future__ import annotations

from html import escape

from bot.core.messages import Reply, Span, Style
from bot.settings import RTL_LANGUAGES


def span_to_html(span: Span) -> str:
    text = escape(span.text, quote=False)
    match span.style:
        case Style.BOLD:
            return f"<b>{text}</b>"
        case Style.ITALIC:
            return f"<i>{text}</i>"
        case Style.LINK if span.url:
            return f'<a href="{escape(span.url, quote=True)}">{text}</a>'
        case _:
            return text


def to_html(reply: Reply) -> str:
    """The reply's text as HTML; options are left to the adapter (keyboards or numbered list)."""
    return "".join(span_to_html(span) for span in reply.spans)


def numbered_options(reply: Reply) -> list[str]:
    """Options as "1. label" lines, for clients without buttons; a number answers them."""
    return [f"{number}. {option.label}" for number, option in enumerate(reply.options, start=1)]


def isolate_direction(text: str, lang: str) -> str:
    """Wrap right-to-left text in a first-strong isolate so numbers and punctuation stay put."""
    if lang in RTL_LANGUAGES:
        return f"\u2068{text}\u2069"
    return text


def to_plain(reply: Reply) -> str:
    """Text plus numbered options, the way a terminal or a plain Matrix client shows it."""
    lines = [reply.plain_text] if reply.plain_text else []
    lines.extend(numbered_options(reply))
    return "\n".join(lines)
