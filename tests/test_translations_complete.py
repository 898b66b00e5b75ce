"""Every UI string in ``bot/`` has a translation in all fifteen interface languages.

Strings are found the way translators' tools find them (Babel's extractor, keywords ``_``,
``gettext``, ``ngettext``, ``N_``, which also catches ``t.gettext``/``t.ngettext``), plus the
``t.gettext("…")`` calls in the report templates, and looked up across all of a language's domain
catalogues, as ``bot.i18n`` chains them at run time. Catalogues hold no strings the code no
longer uses, and the features with a catalogue of their own keep their strings in it. Each
catalogue's header names its language, plural rule (as many forms as CLDR has) and, for the
languages added after the launch, how the translation was made.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, cldr_locale
from bot.settings import LANGUAGES, LAUNCH_LANGUAGES
from bot.ui_translations import MACHINE_MADE, REVIEWED, STATUS_HEADER

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
TEMPLATE_CALL = re.compile(r"""gettext\("([^"]+)"\)""")
# Packages (under bot/) whose every string belongs in their own domain's catalogue.
OWN_DOMAIN = {
    "adapters/telegram": "telegram",
    "adapters/matrix": "matrix",
    "reminders": "reminders",
    "lotsen": "lotsen",
    "monitoring": "lotsen",
    "feedback": "feedback",
}

MessageId = str | tuple[str, str]


@cache
def _found() -> tuple[tuple[MessageId, str], ...]:
    """(message id, place) for every use of a UI string in code and templates."""
    found: list[tuple[MessageId, str]] = []
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT / "bot", method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if not message or (isinstance(message, tuple) and not all(message)):
            continue
        found.append((message, f"bot/{filename}:{lineno}"))
    for path in sorted((ROOT / "bot").glob("**/templates/*.j2")):
        for message in TEMPLATE_CALL.findall(path.read_text(encoding="utf-8")):
            found.append((message, str(path.relative_to(ROOT))))
    return tuple(found)


def _ui_strings() -> dict[MessageId, str]:
    """Each message id with the place it was first found, for readable failures."""
    strings: dict[MessageId, str] = {}
    for message, where in _found():
        strings.setdefault(message, where)
    return strings


def _key(msgid: MessageId) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _catalogues(lang: str) -> list[Catalog]:
    catalogues = []
    for path in sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            catalogues.append(read_po(handle, locale=cldr_locale(lang), domain=path.stem))
    return catalogues


def _fields(text: str) -> set[str]:
    """The ``{name}`` placeholders of a format string."""
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<broken braces>"}


def _problem(message: Message, msgid: MessageId, plurals: int) -> str | None:
    if message.fuzzy:
        return "fuzzy"
    forms = list(message.string) if isinstance(message.string, tuple | list) else [message.string]
    if not all(forms):
        return "empty"
    expected = set().union(
        *(_fields(part) for part in (msgid if isinstance(msgid, tuple) else [msgid]))
    )
    if isinstance(msgid, tuple):
        if len(forms) != plurals:
            return f"{len(forms)} plural forms instead of {plurals}"
        got = [_fields(form) for form in forms]
        if any(not fields <= expected for fields in got) or set().union(*got) != expected:
            return f"placeholders {sorted(set().union(*got))} instead of {sorted(expected)}"
    elif _fields(forms[0]) != expected:
        return f"placeholders {sorted(_fields(forms[0]))} instead of {sorted(expected)}"
    return None


def test_ui_strings_are_found() -> None:
    strings = _ui_strings()
    assert "Please choose your language." in strings
    assert ("{count} seat free", "{count} seats free") in strings
    assert strings["Nothing was counted in this period."].endswith(".j2")  # report templates


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_ui_string_is_translated(lang: str) -> None:
    catalogues = _catalogues(lang)
    assert catalogues, f"no catalogues in locales/{lang}/LC_MESSAGES"
    problems = []
    for msgid, where in _ui_strings().items():
        key = _key(msgid)
        reasons = []
        for catalogue in catalogues:
            message = catalogue.get(key)
            if message is None:
                continue
            reason = _problem(message, msgid, catalogue.num_plurals)
            if reason is None:
                break
            reasons.append(f"{catalogue.domain}: {reason}")
        else:
            reasons = reasons or ["missing"]
            problems.append(f"{where}: {key!r}: {'; '.join(reasons)}")
    assert not problems, f"{len(problems)} strings not ready in {lang}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_headers_name_the_language(lang: str) -> None:
    paths = sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po"))
    assert paths, f"no catalogues in locales/{lang}/LC_MESSAGES"
    for path, catalogue in zip(paths, _catalogues(lang), strict=True):
        assert _header(path, "Language") == lang, path
        assert catalogue.plural_forms.startswith(f"nplurals={catalogue.num_plurals};")
        cldr_forms = get_plural(cldr_locale(lang)).num_plurals
        assert catalogue.num_plurals == cldr_forms, f"{path}: CLDR has {cldr_forms} plural forms"
        if lang not in LAUNCH_LANGUAGES:
            assert _header(path, STATUS_HEADER) in (REVIEWED, MACHINE_MADE), path


def _header(path: Path, name: str) -> str | None:
    """A header field as written (Babel does not keep ``X-`` fields, and folds "de-simple")."""
    found = re.search(rf'^"{re.escape(name)}:\s*(.*?)\\n"$', path.read_text("utf-8"), re.M)
    return found.group(1).strip() if found else None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogues_hold_only_strings_in_use(lang: str) -> None:
    used = {_key(msgid) for msgid in _ui_strings()}
    unused = [
        f"{catalogue.domain}: {message.id!r}"
        for catalogue in _catalogues(lang)
        for message in catalogue
        if message.id and _key(message.id) not in used
    ]
    assert not unused, f"{len(unused)} strings in {lang} no longer used:\n" + "\n".join(unused)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_features_keep_their_strings_in_their_own_catalogue(lang: str) -> None:
    """A feature's catalogue holds exactly the strings its packages use, so it can be handed to
    translators on its own."""
    held = {
        catalogue.domain: {_key(m.id) for m in catalogue if m.id} for catalogue in _catalogues(lang)
    }
    used: dict[str, set[str]] = defaultdict(set)
    for msgid, where in _found():
        for package, domain in OWN_DOMAIN.items():
            if where.startswith(f"bot/{package}/"):
                used[domain].add(_key(msgid))
    for domain in set(OWN_DOMAIN.values()):
        assert held.get(domain, set()) == used[domain], (
            f"{lang}/{domain}.po: missing {sorted(used[domain] - held.get(domain, set()))}, "
            f"not used by its packages {sorted(held.get(domain, set()) - used[domain])}"
        )
