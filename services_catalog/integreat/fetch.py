"""One region's data from an Integreat source: region, languages, locations and events.

Every answer is checked against ``schema`` before anything else looks at it; the raw answers are
kept too, so that a successful read can be saved as a dump.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services_catalog.integreat.client import Source
from services_catalog.integreat.schema import Event, Language, Location, RegionInfo
from services_catalog.languages import LANGUAGES, SOURCE_LANGUAGE
from services_catalog.records import CatalogueError, InvalidCatalogue, validation_errors

Model = TypeVar("Model", bound=BaseModel)
_ISO_639_1 = re.compile(r"^[a-z]{2}$")


@dataclass
class RegionData:
    slug: str
    info: RegionInfo
    languages: list[Language]
    locations: dict[str, list[Location]] = field(default_factory=dict)  # lang -> locations
    events: dict[str, list[Event]] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)  # API path -> raw JSON


def paths(slug: str, lang: str | None = None) -> dict[str, str]:
    """The API paths the import reads, by what they hold."""
    found = {"region": f"api/v3/regions/{slug}/", "languages": f"api/v3/{slug}/languages/"}
    if lang is not None:
        found["locations"] = f"api/v3/{slug}/{lang}/locations/"
        found["events"] = f"api/v3/{slug}/{lang}/events/?combine_recurring=True"
    return found


def _label(kind: str, data: Any, position: int) -> str:
    """'location 102' by the POI's (or event's) id as the CMS shows it, else by position."""
    inner = {"location": "location", "event": "event"}.get(kind)
    owner = data.get(inner) if isinstance(data, dict) and inner else None
    if isinstance(owner, dict) and isinstance(owner.get("id"), int):
        return f"{kind} {owner['id']}"
    return f"{kind} #{position}"


def _checked_list(where: str, data: Any, model: type[Model], kind: str) -> list[Model]:
    if not isinstance(data, list):
        raise InvalidCatalogue([CatalogueError(where, "", "", "expected a list")])
    items, errors = [], []
    for position, entry in enumerate(data, start=1):
        try:
            items.append(model.model_validate(entry))
        except ValidationError as error:
            errors.extend(validation_errors(where, _label(kind, entry, position), error))
    if errors:
        raise InvalidCatalogue(errors)
    return items


def _checked(where: str, data: Any, model: type[Model], kind: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidCatalogue(validation_errors(where, kind, error)) from None


def choose_languages(where: str, offered: list[Language], wanted: list[str] | None) -> list[str]:
    """German first, then the wanted languages (default: the launch languages the region has)."""
    codes = [language.code for language in offered]
    if SOURCE_LANGUAGE not in codes:
        raise InvalidCatalogue(
            [CatalogueError(where, "", "", "the region has no German (de) content to import")]
        )
    if wanted is None:
        chosen = [lang for lang in LANGUAGES if lang in codes]
    else:
        errors = [
            CatalogueError("--languages", "", lang, f"not offered by the region (it has {offers})")
            for lang, offers in ((lang, ", ".join(codes)) for lang in wanted)
            if lang not in codes
        ]
        errors += [
            CatalogueError("--languages", "", lang, "Wegweiser keeps languages as two-letter codes")
            for lang in wanted
            if lang in codes and not _ISO_639_1.match(lang)
        ]
        if errors:
            raise InvalidCatalogue(errors)
        chosen = list(dict.fromkeys(wanted))
    return [SOURCE_LANGUAGE, *(lang for lang in chosen if lang != SOURCE_LANGUAGE)]


async def fetch_region(
    source: Source,
    slug: str,
    wanted: list[str] | None = None,
    *,
    progress: Callable[[str], None] = lambda step: None,
    only_source_locations: bool = False,
) -> RegionData:
    """Everything the import needs for ``slug``; raises ``InvalidCatalogue`` on a bad answer."""
    answers: dict[str, Any] = {}

    async def get(path: str) -> Any:
        progress(source.where(path))
        answers[path] = await source.get(path)
        return answers[path]

    base = paths(slug)
    info = _checked(source.where(base["region"]), await get(base["region"]), RegionInfo, "region")
    where = source.where(base["languages"])
    languages = _checked_list(where, await get(base["languages"]), Language, "language")
    chosen = choose_languages(where, languages, wanted)
    data = RegionData(slug, info, [lang for lang in languages if lang.code in chosen])
    for lang in [SOURCE_LANGUAGE] if only_source_locations else chosen:
        lang_paths = paths(slug, lang)
        data.locations[lang] = _checked_list(
            source.where(lang_paths["locations"]),
            await get(lang_paths["locations"]),
            Location,
            "location",
        )
        if only_source_locations:
            continue
        data.events[lang] = _checked_list(
            source.where(lang_paths["events"]), await get(lang_paths["events"]), Event, "event"
        )
    data.answers = answers
    return data
