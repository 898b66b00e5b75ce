"""Emergency numbers, at once, in the language the person writes in.

Numbers are placeholders, never part of a translation, so every language shows exactly the
same digits; in Arabic and Persian they are isolated left to right so they are not reversed.
"""

from __future__ import annotations

from bot.core.dialogue.bidi import ltr
from bot.core.messages import Option, Reply, Span, Style
from bot.i18n import Translator

EMERGENCY = "112"
POLICE = "110"
TELEFONSEELSORGE = ("0800 111 0 111", "0800 111 0 222")
VIOLENCE_AGAINST_WOMEN = "116 016"


def emergency_reply(t: Translator, options: list[Option] | None = None) -> Reply:
    lang = t.lang
    lines = [
        "🚑 "
        + t.gettext("Emergency, ambulance, fire brigade: call {number}").format(
            number=ltr(EMERGENCY, lang)
        ),
        "🚓 " + t.gettext("Police: {number}").format(number=ltr(POLICE, lang)),
        "📞 "
        + t.gettext(
            "Someone to talk to, day and night, free and anonymous (Telefonseelsorge): "
            "{first} or {second}"
        ).format(first=ltr(TELEFONSEELSORGE[0], lang), second=ltr(TELEFONSEELSORGE[1], lang)),
        "🛡️ "
        + t.gettext(
            "Help for women facing violence, day and night, free, in many languages: {number}"
        ).format(number=ltr(VIOLENCE_AGAINST_WOMEN, lang)),
    ]
    heading = t.gettext("If you or someone else is in danger, please get help now:")
    closing = t.gettext("You are not alone. When you are safe, I can help you find counselling.")
    return Reply(
        spans=[Span(heading, Style.BOLD), Span("\n" + "\n".join(lines) + "\n" + closing)],
        options=list(options or []),
        lang=lang,
    )
