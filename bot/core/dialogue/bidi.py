"""Keep left-to-right runs intact inside right-to-left text.

In an Arabic or Persian sentence, "0800 111 0 111" would be shown as "111 0 111 0800": the bidi
algorithm treats the spaces between digit groups as right-to-left. Phone numbers, addresses,
links and German names are therefore wrapped in a left-to-right isolate (U+2066 … U+2069).
"""

from __future__ import annotations

from bot.settings import RTL_LANGUAGES

LRI = "\u2066"
PDI = "\u2069"


def ltr(text: str, lang: str) -> str:
    """``text`` isolated as left-to-right when it appears in a right-to-left language."""
    if lang in RTL_LANGUAGES and text:
        return f"{LRI}{text}{PDI}"
    return text
