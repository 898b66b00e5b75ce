"""Referral codes: created, listed and retired by admins, looked up when a link is opened.

Codes are short random words without look-alike letters, so a Lotse can also read one out or
type it. A retired code stays in the table (its counts stay meaningful in reports) and is never
handed out again.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from bot.lotsen.models import ReferralCode
from bot.settings import LANGUAGES
from services_catalog.models import Region, Service
from services_catalog.queries import UnknownSlug, require_known
from services_catalog.records import text_problem
from services_catalog.suggest import quoted, valid_choices

MAX_LABEL = 200  # a place or a person, shown in `lotse list`

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 6


class LotseError(ValueError):
    """An admin's request cannot be done; the message says what to change."""


def new_code(session: Session) -> str:
    """A code no other link has used, retired ones included."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if session.get(ReferralCode, code) is None:
            return code


def add_code(
    session: Session,
    label: str,
    now: datetime,
    *,
    region: str | None = None,
    lang: str | None = None,
    topic: str | None = None,
    service_id: str | None = None,
) -> ReferralCode:
    """A new code with presets checked against the catalogue, so a printed flyer works."""
    label = label.strip()
    if not label:
        raise LotseError("Please give the link a label, for example the place it will hang.")
    problem = text_problem(label, MAX_LABEL)
    if problem:
        raise LotseError(f"The label {problem}.")
    check_presets(session, region=region, lang=lang, topic=topic, service_id=service_id)
    code = ReferralCode(
        code=new_code(session),
        label=label,
        region=region,
        lang=lang,
        topic=topic,
        service_id=service_id,
        created_at=now,
    )
    session.add(code)
    session.flush()
    return code


def check_presets(
    session: Session,
    *,
    region: str | None = None,
    lang: str | None = None,
    topic: str | None = None,
    service_id: str | None = None,
) -> None:
    """Raise ``LotseError`` naming the first preset the catalogue does not know."""
    if lang is not None and lang not in LANGUAGES:
        raise LotseError(f"Unknown language {lang!r}; use one of {', '.join(LANGUAGES)}.")
    try:
        require_known(session, region=region, topic=topic)
    except UnknownSlug as error:
        raise LotseError(str(error)) from None
    if service_id is not None:
        service = session.get(Service, service_id)
        if service is None or service.retired_at is not None:
            active = session.exec(select(Service.id).where(col(Service.retired_at).is_(None)))
            raise LotseError(
                f"No active service with the id {quoted(service_id)}; "
                f"{valid_choices(service_id, active)}"
            )
        home = session.get(Region, service.region_id)
        if region is not None and home is not None and home.slug != region:
            raise LotseError(
                f"The service {quoted(service_id)} is in the region {quoted(home.slug)}, "
                f"not {quoted(region)}: give --region {home.slug} or no region."
            )


def get_code(session: Session, code: str) -> ReferralCode:
    """The code as typed (any case), or ``LotseError`` when there is none."""
    found = session.get(ReferralCode, code.strip().lower())
    if found is None:
        raise LotseError(f"There is no link code {code!r}; `wegweiser lotse list` shows them.")
    return found


def list_codes(session: Session) -> list[ReferralCode]:
    """All codes, newest first, retired ones included."""
    query = select(ReferralCode).order_by(col(ReferralCode.created_at).desc(), ReferralCode.code)
    return list(session.exec(query))


def retire_code(session: Session, code: str, now: datetime) -> ReferralCode:
    """Stop a code: its links then open a normal start. Retiring twice is harmless."""
    found = get_code(session, code)
    if found.retired_at is None:
        found.retired_at = now
        session.add(found)
    return found
