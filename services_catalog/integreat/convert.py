"""Integreat's locations and events as Wegweiser records: services and weekly courses.

Every record cites where it came from (``integreat:<region>/<poi id>`` and the page's URL) and
keeps that as its external id. Only what Integreat says is carried over; a field it leaves empty
stays empty. What cannot be carried over is listed with the reason, never guessed.
"""

from __future__ import annotations

import html
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from icalendar import vRecur
from pydantic import ValidationError

from services_catalog.integreat.fetch import RegionData
from services_catalog.integreat.mapping import Mapping
from services_catalog.integreat.schema import Day, Event, Location
from services_catalog.languages import SOURCE_LANGUAGE
from services_catalog.records import (
    WEEKDAYS,
    CatalogueError,
    CourseRecord,
    InvalidCatalogue,
    ProviderRecord,
    RegionRecord,
    ServiceRecord,
    validation_errors,
)
from services_catalog.snapshot import Catalogue

ALL_DAY = "00:00-23:59"
_ICAL_DAYS = dict(zip(("MO", "TU", "WE", "TH", "FR", "SA", "SU"), WEEKDAYS, strict=True))
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class Left:
    """Something not imported, and why."""

    kind: str  # "location" or "event"
    id: int
    title: str
    reason: str


@dataclass
class Conversion:
    catalogue: Catalogue
    left_out: list[Left] = field(default_factory=list)


def slugify(text: str) -> str:
    return _NOT_SLUG.sub("-", text.casefold().translate(_UMLAUTS)).strip("-")


def external_id(region: str, poi_id: int) -> str:
    return f"integreat:{region}/{poi_id}"


def event_external_id(region: str, event_id: int) -> str:
    return f"integreat:{region}/event/{event_id}"


def service_id(region: str, poi_id: int) -> str:
    return f"{region}-poi-{poi_id}"


def course_id(region: str, event_id: int) -> str:
    return f"{region}-event-{event_id}"


def plain_text(excerpt: str) -> str | None:
    """Integreat's excerpt (tags already stripped) without entities and blank lines."""
    lines = (" ".join(line.split()) for line in html.unescape(excerpt).splitlines())
    text = "\n".join(line for line in lines if line)
    return text or None


def opening_hours(days: list[Day] | None) -> dict[str, Any] | None:
    """Seven Integreat days (Monday first) as Wegweiser's week; None when Integreat has none.

    A slot past midnight (18:00 to 08:00, as night shelters have) ends the day at 23:59 and opens
    the next at 00:00, since Wegweiser's slots lie within one day.
    """
    if days is None:
        return None
    week: list[Any] = [None] * 7
    mornings: list[list[str]] = [[] for _ in range(7)]
    for index, day in enumerate(days):
        if day.closed:
            week[index] = "closed"
        elif day.allDay:
            week[index] = [ALL_DAY]
        elif day.timeSlots:
            week[index] = []
            for slot in day.timeSlots:
                start, end = slot.start[:5], slot.end[:5]
                if end == "00:00" and start != end:
                    end = "23:59"  # until midnight
                if "00:00" < end < start:
                    week[index].append(f"{start}-23:59")
                    mornings[(index + 1) % 7].append(f"00:00-{end}")
                else:
                    week[index].append(f"{start}-{end}")
        # appointment-only days without times stay open: "by appointment" says it
    hours: dict[str, Any] = {"by_appointment": any(day.appointmentOnly for day in days)}
    for index, name in enumerate(WEEKDAYS):
        slots = week[index]
        if mornings[index] and slots != [ALL_DAY]:
            slots = mornings[index] + (slots if isinstance(slots, list) else [])
        if slots is not None:
            hours[name] = slots
    return hours


def appointment_needed(days: list[Day] | None) -> bool | None:
    """True when every open day is appointment-only; otherwise Integreat does not say."""
    open_days = [day for day in days or [] if not day.closed]
    return True if open_days and all(day.appointmentOnly for day in open_days) else None


def _status(item: Location | Event, source: Location | Event) -> str:
    """Integreat's flags as Wegweiser's status: machine-made, older than the German, or current."""
    if item.machine_translated:
        return "machine"
    if item.last_updated < source.last_updated:
        return "outdated"
    return "current"


def _texts(
    versions: dict[str, Any], pick: Any, *, skip_copies: bool = True
) -> dict[str, Any] | None:
    """One text field across languages, German first; copies of the German text are no
    translation (Integreat shows German titles where an app cannot show a script)."""
    german = versions[SOURCE_LANGUAGE]
    source_text = pick(german)
    if not source_text:
        return None
    texts: dict[str, Any] = {SOURCE_LANGUAGE: source_text}
    for lang, item in versions.items():
        text = pick(item)
        if lang == SOURCE_LANGUAGE or not text or (skip_copies and text == source_text):
            continue
        texts[lang] = {"text": text, "status": _status(item, german)}
    return texts


def _contact(location: Location) -> dict[str, Any]:
    """The place's own phone, e-mail and website, else the first contact's; never names."""

    def first(name: str) -> str | None:
        own = getattr(location, name)
        if own:
            return own
        return next((getattr(c, name) for c in location.contacts if getattr(c, name)), None)

    return {"phone": first("phone_number"), "email": first("email"), "website": first("website")}


def _address(location: Location) -> dict[str, Any]:
    place = location.location
    both = place.latitude is not None and place.longitude is not None
    return {
        "street": place.address or None,
        "postcode": place.postcode or None,
        "city": place.town or None,
        "latitude": place.latitude if both else None,
        "longitude": place.longitude if both else None,
    }


def _validated(model: Any, data: dict[str, Any]) -> Any:
    """The record, or what Wegweiser cannot hold of it (e.g. hours past midnight), as a reason."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = validation_errors("", "", error)
        return "; ".join(f"{problem.field}: {problem.message}" for problem in problems)


def _by_id(items: dict[str, list[Any]], key: Any, first: Any = None) -> dict[int, dict[str, Any]]:
    """id -> lang -> item, for matching one entry's languages; of items with the same id in one
    language, the one with the smallest ``first`` (an instance without ``combine_recurring``
    lists each date of a recurring event, and the first date is the course's start)."""
    found: dict[int, dict[str, Any]] = {}
    for lang, entries in items.items():
        for entry in entries:
            versions = found.setdefault(key(entry), {})
            if lang not in versions or (first is not None and first(entry) < first(versions[lang])):
                versions[lang] = entry
    return found


def _services(data: RegionData, mapping: Mapping, result: Conversion) -> None:
    catalogue, slug = result.catalogue, data.slug
    for poi_id, versions in sorted(_by_id(data.locations, lambda loc: loc.location.id).items()):
        german: Location | None = versions.get(SOURCE_LANGUAGE)
        if german is None:
            continue  # Integreat publishes a location only with its German text
        category = german.category.name if german.category else None
        topics = mapping.topics_for(poi_id, category, german.title)
        if not topics:
            reason = f"category '{category}' is not in the mapping" if category else "no category"
            result.left_out.append(Left("location", poi_id, german.title, reason))
            continue
        provider = None
        if german.organization is not None:
            org = german.organization
            provider = _validated(
                ProviderRecord,
                {
                    "id": slugify(f"{slug}-{org.slug}"),
                    "name": org.name,
                    "website": org.website or None,
                    "source": f"integreat:{slug}/organization/{org.id}",
                },
            )
            if isinstance(provider, str):
                reason = f"its organization cannot be imported: {provider}"
                result.left_out.append(Left("location", poi_id, german.title, reason))
                continue
        record = _validated(
            ServiceRecord,
            {
                "id": service_id(slug, poi_id),
                "region": slug,
                "provider": provider.id if provider else None,
                "topics": topics,
                "title": _texts(versions, lambda loc: loc.title.strip()),
                "description": _texts(versions, lambda loc: plain_text(loc.excerpt)),
                "contact": _contact(german),
                "address": _address(german),
                "opening_hours": opening_hours(german.opening_hours),
                "appointment_needed": appointment_needed(german.opening_hours),
                "appointment_url": german.appointment_url,
                "temporarily_closed": german.temporarily_closed,
                "barrier_free": german.barrier_free,
                "source": f"{external_id(slug, poi_id)}, {german.url}",
                "external_id": external_id(slug, poi_id),
            },
        )
        if isinstance(record, str):
            reason = f"cannot be imported: {record}"
            result.left_out.append(Left("location", poi_id, german.title, reason))
            continue
        if provider is not None:
            catalogue.providers[provider.id] = provider
        catalogue.services[record.id] = record
        catalogue.origins[("service", record.id)] = german.url


def weekly_rule(rule: str) -> tuple[list[str], datetime | None] | str:
    """The weekdays and end of a weekly RRULE, or why it is no weekly course."""
    text = next((line for line in rule.splitlines() if "FREQ=" in line), "")
    try:
        parsed = vRecur.from_ical(text.removeprefix("RRULE:"))
    except ValueError:
        return f"its recurrence rule '{rule}' cannot be read"
    if parsed.get("FREQ") != ["WEEKLY"] or parsed.get("INTERVAL", [1]) != [1]:
        return "it does not repeat every week"
    days = [_ICAL_DAYS[day[-2:]] for day in parsed.get("BYDAY", []) if day[-2:] in _ICAL_DAYS]
    until = parsed.get("UNTIL", [None])[0]
    return days, until


def _course(
    slug: str, versions: dict[str, Event], mapping: Mapping, services: set[str], zone: str
) -> dict[str, Any] | str:
    """A recurring event as a course record's fields, or why it cannot be one."""
    german = versions[SOURCE_LANGUAGE]
    if not german.recurrence_rule:
        return "it happens once"
    weekly = weekly_rule(german.recurrence_rule)
    if isinstance(weekly, str):
        return weekly
    place = german.location.id if german.location else None
    service = service_id(slug, place) if place is not None else None
    if service not in services:
        return "its place is not an imported location"
    kind = mapping.course_kind(german.title)
    if kind is None:
        return "no course kind in the mapping matches its title"
    days, until = weekly
    local = zoneinfo.ZoneInfo(zone)
    start, end = german.event.start.astimezone(local), german.event.end.astimezone(local)
    times = {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
    event_id = german.event.id
    return {
        "id": course_id(slug, event_id),
        "service": service,
        "kind": kind,
        "title": _texts(versions, lambda event: event.title.strip()),
        "start_date": start.date(),
        "end_date": until.astimezone(local).date() if isinstance(until, datetime) else until,
        "sessions": {
            "weekdays": days or [WEEKDAYS[start.weekday()]],
            **({} if german.event.all_day else times),
        },
        "source": f"{event_external_id(slug, event_id)}, {german.url}",
        "external_id": event_external_id(slug, event_id),
    }


def _courses(data: RegionData, mapping: Mapping, result: Conversion) -> None:
    catalogue, slug = result.catalogue, data.slug
    zone = catalogue.regions[slug].timezone
    for event_id, versions in sorted(
        _by_id(data.events, lambda ev: ev.event.id, lambda ev: ev.event.start).items()
    ):
        german: Event | None = versions.get(SOURCE_LANGUAGE)
        if german is None:
            continue
        fields = _course(slug, versions, mapping, set(catalogue.services), zone)
        record = fields if isinstance(fields, str) else _validated(CourseRecord, fields)
        if isinstance(record, str):
            result.left_out.append(Left("event", event_id, german.title, record))
            continue
        catalogue.courses[record.id] = record
        catalogue.origins[("course", record.id)] = german.url


def convert(data: RegionData, mapping: Mapping) -> Conversion:
    """The region's catalogue as records, and what could not become one."""
    region = RegionRecord.model_validate(
        {
            "slug": data.slug,
            "name": data.info.name,
            "postcodes": [data.info.plz] if data.info.plz else [],
            "source": f"integreat:{data.slug}",
        }
    )
    result = Conversion(Catalogue(regions={data.slug: region}))
    _services(data, mapping, result)
    _courses(data, mapping, result)
    return result


def categories(data: RegionData) -> dict[str, int]:
    """The German category names of the region's locations, with how many locations each has."""
    counts: dict[str, int] = {}
    for location in data.locations.get(SOURCE_LANGUAGE, []):
        name = location.category.name if location.category else "(no category)"
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


def check_slug(slug: str) -> None:
    if slugify(slug) != slug:
        raise InvalidCatalogue(
            [CatalogueError("--region", "", slug, "a region slug uses a-z, 0-9 and '-' only")]
        )
