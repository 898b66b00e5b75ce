"""The start payload of a shared link: a referral code and/or direct presets, in one short token.

Telegram allows at most 64 characters of ``A-Z a-z 0-9 _ -`` after ``?start=``. Every value we
encode (codes, language codes, region slugs, topic slugs, service ids) is lower case, so an upper
case letter can mark the start of each field and no separator is needed::

    payload := field+            (each key at most once, at most 64 characters in all)
    field   := KEY value
    KEY     := "R" referral code | "L" language | "G" region | "T" topic | "S" service
    value   := [a-z0-9_-]+

``Rk7m2qp`` is the code ``k7m2qp``; ``Rk7m2qpSrostock-mbe-awo`` the same code opening one service;
``LarGrostockThousing`` a link without a code, in Arabic, for Rostock, about housing.
"""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, select

from bot.core.features import StartPreset
from bot.lotsen.models import ReferralCode
from bot.settings import LANGUAGES
from services_catalog.models import Region, Service, Topic

MAX_PAYLOAD = 64
KEYS = {"R": "referral_code", "L": "lang", "G": "region", "T": "topic", "S": "service_id"}
_FIELD = re.compile(r"([A-Z])([a-z0-9_-]+)")
_PAYLOAD = re.compile(r"(?:[A-Z][a-z0-9_-]+)+")
_VALUE = re.compile(r"[a-z0-9_-]+")


class PayloadError(ValueError):
    """The presets cannot be put into a payload Telegram accepts; the message says why."""


def build_payload(
    *,
    referral_code: str | None = None,
    lang: str | None = None,
    region: str | None = None,
    topic: str | None = None,
    service_id: str | None = None,
) -> str:
    """The payload for these presets; raises ``PayloadError`` when it cannot be encoded."""
    values = {
        "referral_code": referral_code,
        "lang": lang,
        "region": region,
        "topic": topic,
        "service_id": service_id,
    }
    parts = []
    for key, name in KEYS.items():
        value = values[name]
        if value is None:
            continue
        if not _VALUE.fullmatch(value):
            raise PayloadError(f"{name} {value!r} may only hold a-z, 0-9, '_' and '-'")
        parts.append(key + value)
    if not parts:
        raise PayloadError("a link needs a referral code or at least one preset")
    payload = "".join(parts)
    if len(payload) > MAX_PAYLOAD:
        raise PayloadError(
            f"the link would need {len(payload)} characters; Telegram allows {MAX_PAYLOAD}"
        )
    return payload


def parse_payload(payload: str) -> StartPreset | None:
    """The presets written in ``payload`` as they are, or ``None`` when it breaks the grammar."""
    if not payload or len(payload) > MAX_PAYLOAD or not _PAYLOAD.fullmatch(payload):
        return None
    fields: dict[str, str] = {}
    for key, value in _FIELD.findall(payload):
        name = KEYS.get(key)
        if name is None or name in fields:
            return None
        fields[name] = value
    return StartPreset(**fields)


def resolve_start_payload(
    session: Session, payload: str, today: date | None = None
) -> StartPreset | None:
    """The presets a start link asks for, checked against the database.

    ``None`` (a normal start) for a payload that breaks the grammar or names an unknown or
    retired referral code. A code's own presets apply first and direct presets in the payload
    win over them. A preset the catalogue no longer knows (a retired or expired service on an old
    flyer) is left out and the rest still applies.
    """
    written = parse_payload(payload.strip())
    if written is None:
        return None
    merged = written
    if written.referral_code is not None:
        code = session.get(ReferralCode, written.referral_code)
        if code is None or code.retired_at is not None:
            return None
        merged = StartPreset(
            lang=written.lang or code.lang,
            region=written.region or code.region,
            topic=written.topic or code.topic,
            service_id=written.service_id or code.service_id,
            referral_code=code.code,
        )
    preset = StartPreset(
        lang=merged.lang if merged.lang in LANGUAGES else None,
        region=merged.region if _region_exists(session, merged.region) else None,
        topic=merged.topic if merged.topic and session.get(Topic, merged.topic) else None,
        service_id=merged.service_id
        if _service_active(session, merged.service_id, today or date.today())
        else None,
        referral_code=merged.referral_code,
    )
    if preset == StartPreset():
        return None
    return preset


def _region_exists(session: Session, slug: str | None) -> bool:
    if slug is None:
        return False
    return session.exec(select(Region.id).where(Region.slug == slug)).first() is not None


def _service_active(session: Session, service_id: str | None, today: date) -> bool:
    if service_id is None:
        return False
    service = session.get(Service, service_id)
    if service is None or service.retired_at is not None:
        return False
    return service.valid_until is None or service.valid_until >= today
