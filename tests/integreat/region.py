"""An invented Integreat region ("testhausen") in the API v3 format, written for these tests.

Everything here is test data, not facts about a real place. ``answers()`` returns what the
instance would answer per API path; tests change that before (re)starting an import, as an
editor would in the CMS.
"""

from __future__ import annotations

import copy
from typing import Any

REGION = "testhausen"
BASE = "https://integreat.example"
OLD, NEW = "2026-10-01T10:00:00+02:00", "2026-11-20T09:30:00+01:00"
CLOSED = {"allDay": False, "closed": True, "appointmentOnly": False, "timeSlots": []}


def _day(*slots: tuple[str, str], all_day: bool = False, appointment: bool = False) -> dict:
    return {
        "allDay": all_day,
        "closed": False,
        "appointmentOnly": appointment,
        "timeSlots": [{"start": start, "end": end} for start, end in slots],
    }


def _place(poi: int, name: str, street: str, lat: float | None, lon: float | None) -> dict:
    return {
        "id": poi,
        "name": name,
        "address": street,
        "town": "Testhausen",
        "state": None,
        "postcode": "12345",
        "region": None,
        "country": "Deutschland",
        "latitude": lat,
        "longitude": lon,
    }


# POI id -> the fields every language shares
POIS: dict[int, dict[str, Any]] = {
    101: {
        "category": {"id": 7, "name": "Migrationsberatung", "color": "#1DC6C6", "icon": "x"},
        "website": "https://caritas-testhausen.example/mbe",
        "email": "mbe@caritas-testhausen.example",
        "phone_number": "+49 30 1234567",
        "contacts": [],
        "temporarily_closed": False,
        "opening_hours": [
            _day(("09:00", "12:00"), ("13:00", "16:00")),
            CLOSED,
            _day(all_day=True),
            _day(("10:00", "12:00"), appointment=True),
            _day(("09:00", "12:00")),
            CLOSED,
            CLOSED,
        ],
        "appointment_url": "https://caritas-testhausen.example/termin",
        "location": _place(101, "MBE Caritas", "Marktstraße 1", 52.52, 13.40),
        "organization": {
            "id": 3,
            "slug": "caritas-testhausen",
            "name": "Caritasverband Testhausen e. V.",
            "logo": None,
            "website": "https://caritas-testhausen.example",
        },
        "barrier_free": True,
    },
    102: {
        "category": {"id": 8, "name": "Sprachkurse", "color": "#1DC6C6", "icon": "x"},
        "website": None,
        "email": None,
        "phone_number": None,
        "contacts": [
            {
                "area_of_responsibility": "Sprachcafé",
                "name": "Erika Beispiel",
                "email": None,
                "phone_number": "+49 30 7654321",
                "mobile_number": None,
                "website": None,
            }
        ],
        "temporarily_closed": False,
        "opening_hours": None,
        "appointment_url": None,
        "location": _place(102, "Stadtteilzentrum", "Lindenweg 5", None, None),
        "organization": None,
        "barrier_free": None,
    },
    103: {
        "category": {"id": 9, "name": "Gesundheit", "color": "#1DC6C6", "icon": "x"},
        "website": "https://psb-testhausen.example",
        "email": None,
        "phone_number": "+49 30 5550000",
        "contacts": [],
        "temporarily_closed": True,
        "opening_hours": None,
        "appointment_url": None,
        "location": _place(103, "PSB", "Bahnhofstraße 9", 52.51, 13.39),
        "organization": None,
        "barrier_free": False,
    },
    104: {
        "category": {"id": 10, "name": "Freizeit", "color": "#1DC6C6", "icon": "x"},
        "website": None,
        "email": None,
        "phone_number": None,
        "contacts": [],
        "temporarily_closed": False,
        "opening_hours": None,
        "appointment_url": None,
        "location": _place(104, "Bibliothek", "Schulstraße 2", 52.5, 13.41),
        "organization": None,
        "barrier_free": True,
    },
}

# POI id -> lang -> (title, excerpt, last updated, machine translated)
TEXTS: dict[int, dict[str, tuple[str, str, str, bool]]] = {
    101: {
        "de": (
            "Migrationsberatung für Erwachsene (Caritas)",
            "Beratung für Zugewanderte ab 27 Jahren &amp; ihre Familien.\n\nKostenlos.",
            NEW,
            False,
        ),
        "en": ("Migration counselling for adults (Caritas)", "Advice for immigrants.", NEW, False),
        "ar": ("استشارة الهجرة للبالغين (كاريتاس)", "استشارة للمهاجرين.", NEW, False),
        "uk": ("Консультації для мігрантів (Caritas)", "Консультації.", OLD, False),
    },
    102: {
        "de": (
            "Sprachcafé im Stadtteilzentrum",
            "Deutsch sprechen üben, ohne Anmeldung.",
            NEW,
            False,
        ),
        "en": ("Language café", "Practise speaking German.", NEW, True),
        "ar": ("Sprachcafé im Stadtteilzentrum", "مقهى اللغة.", NEW, False),
    },
    103: {
        "de": ("Psychosoziale Beratungsstelle", "Hilfe in schweren Zeiten.", NEW, False),
        "en": ("Psychosocial counselling centre", "Help in hard times.", NEW, False),
    },
    104: {
        "de": ("Stadtbibliothek", "Bücher ausleihen.", NEW, False),
    },
}

EVENTS: dict[int, dict[str, Any]] = {
    501: {
        "poi": 102,
        "start": "2027-01-05T16:00:00+01:00",
        "end": "2027-01-05T18:00:00+01:00",
        "rule": "DTSTART:20270105T150000Z\nRRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270629T220000Z",
        "titles": {"de": "Sprachcafé am Dienstag", "en": "Language café on Tuesdays"},
    },
    502: {
        "poi": 101,
        "start": "2027-05-01T10:00:00+02:00",
        "end": "2027-05-01T18:00:00+02:00",
        "rule": None,
        "titles": {"de": "Stadtfest", "en": "Town festival"},
    },
}

LANGUAGES = [
    {"id": 1, "code": "de", "bcp47_tag": "de-DE", "native_name": "Deutsch", "dir": "ltr"},
    {"id": 2, "code": "en", "bcp47_tag": "en-US", "native_name": "English", "dir": "ltr"},
    {"id": 3, "code": "ar", "bcp47_tag": "ar-MA", "native_name": "العربية", "dir": "rtl"},
    {"id": 4, "code": "uk", "bcp47_tag": "uk-UA", "native_name": "Українська", "dir": "ltr"},
    {
        "id": 5,
        "code": "de-si",
        "bcp47_tag": "de-DE",
        "native_name": "Leichte Sprache",
        "dir": "ltr",
    },
]

MAPPING = """\
categories:
  Migrationsberatung: [migration_counselling]
  Sprachkurse: [language_course]
pois:
  103: [psychosocial]
courses:
  Sprachcafé: language_cafe
"""


def _location(poi: int, lang: str) -> dict[str, Any]:
    title, excerpt, updated, machine = TEXTS[poi][lang]
    path = f"/{REGION}/{lang}/locations/poi-{poi}/"
    shared = copy.deepcopy(POIS[poi])
    return {
        "id": poi * 10 + len(lang),
        "url": BASE + path,
        "path": path,
        "title": title,
        "modified_gmt": updated,
        "last_updated": updated,
        "meta_description": "",
        "excerpt": excerpt,
        "content": f"<p>{excerpt}</p>",
        "available_languages": {},
        "icon": None,
        "thumbnail": None,
        **shared,
        "hash": None,
        "machine_translated": machine,
    }


def _event(event: int, lang: str) -> dict[str, Any]:
    spec = EVENTS[event]
    path = f"/{REGION}/{lang}/events/event-{event}/"
    return {
        "id": event * 10 + len(lang),
        "url": BASE + path,
        "path": path,
        "title": spec["titles"][lang],
        "modified_gmt": NEW,
        "last_updated": NEW,
        "excerpt": "",
        "content": "",
        "available_languages": {},
        "thumbnail": None,
        "location": copy.deepcopy(POIS[spec["poi"]]["location"]),
        "location_path": None,
        "meeting_url": None,
        "event": {
            "id": event,
            "start": spec["start"],
            "end": spec["end"],
            "all_day": False,
            "only_weekdays": False,
            "recurrence_id": 1 if spec["rule"] else None,
            "timezone": "Europe/Berlin",
        },
        "hash": None,
        "recurrence_rule": spec["rule"],
    }


def answers() -> dict[str, Any]:
    """API path (as requested, with query) -> JSON answer."""
    found: dict[str, Any] = {
        f"api/v3/regions/{REGION}/": {
            "id": 42,
            "name": "Stadt Testhausen",
            "path": REGION,
            "live": True,
            "prefix": "Stadt",
            "name_without_prefix": "Testhausen",
            "plz": "12345",
            "aliases": {},
            "languages": LANGUAGES,
        },
        f"api/v3/{REGION}/languages/": LANGUAGES,
    }
    for language in LANGUAGES:
        lang = language["code"]
        found[f"api/v3/{REGION}/{lang}/locations/"] = [
            _location(poi, lang) for poi in POIS if lang in TEXTS[poi]
        ]
        found[f"api/v3/{REGION}/{lang}/events/?combine_recurring=True"] = [
            _event(event, lang) for event in EVENTS if lang in EVENTS[event]["titles"]
        ]
    return found
