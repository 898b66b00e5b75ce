"""Start payloads: what a shared link presets, and what an old or broken link falls back to."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine

from bot.lotsen.models import ReferralCode
from bot.lotsen.payload import (
    MAX_PAYLOAD,
    PayloadError,
    StartPreset,
    build_payload,
    parse_payload,
    resolve_start_payload,
)
from services_catalog.db import session_scope
from tests.lotsen.catalogue import add_catalogue

TODAY = date(2025, 3, 1)
TELEGRAM_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@pytest.mark.parametrize(
    "presets",
    [
        {"referral_code": "k7m2qp"},
        {"referral_code": "k7m2qp", "service_id": "rostock-mbe-awo"},
        {"lang": "ar", "region": "rostock", "topic": "migration_counselling"},
        {"service_id": "rostock-vhs-integrationskurs-beispiel-1"},
        {
            "referral_code": "ab2cd3",
            "lang": "uk",
            "region": "landkreis-rostock",
            "topic": "childcare_school",
        },
    ],
)
def test_build_and_parse_round_trip(presets: dict[str, str]) -> None:
    payload = build_payload(**presets)
    assert set(payload) <= TELEGRAM_ALPHABET
    assert len(payload) <= MAX_PAYLOAD
    assert parse_payload(payload) == StartPreset(**presets)


def test_payload_is_compact() -> None:
    assert build_payload(referral_code="k7m2qp") == "Rk7m2qp"
    assert build_payload(referral_code="k7m2qp", service_id="rostock-mbe-awo") == (
        "Rk7m2qpSrostock-mbe-awo"
    )


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "hello",  # no field key
        "Xabc",  # unknown key
        "Rabc Labc",  # space
        "Rabc=",  # outside Telegram's alphabet
        "Lar Lde",
        "LarLde",  # a key twice
        "R",  # key without value
        "RABC",  # upper case value reads as keys without values
        "Rk7m2qpS" + "a" * 60,  # longer than 64
        "Rk7m2qp%2F",
    ],
)
def test_parse_rejects_broken_payloads(payload: str) -> None:
    assert parse_payload(payload) is None


def test_build_refuses_what_telegram_would_cut_off() -> None:
    with pytest.raises(PayloadError, match="64"):
        build_payload(referral_code="k7m2qp", service_id="s" * 60)
    with pytest.raises(PayloadError, match="a-z"):
        build_payload(region="Rostock")
    with pytest.raises(PayloadError, match="referral code or at least one preset"):
        build_payload()


def _add_code(engine: Engine, code: str, retired: bool = False, **presets: str) -> None:
    with session_scope(engine) as session:
        session.add(
            ReferralCode(
                code=code,
                label="Café International",
                created_at=datetime(2025, 1, 1, tzinfo=UTC),
                retired_at=datetime(2025, 2, 1, tzinfo=UTC) if retired else None,
                **presets,
            )
        )


def _resolve(engine: Engine, payload: str) -> StartPreset | None:
    with session_scope(engine) as session:
        return resolve_start_payload(session, payload, today=TODAY)


def test_code_presets_language_region_and_topic(engine: Engine) -> None:
    add_catalogue(engine)
    _add_code(engine, "k7m2qp", lang="ar", region="rostock", topic="housing")
    assert _resolve(engine, "Rk7m2qp") == StartPreset(
        lang="ar", region="rostock", topic="housing", referral_code="k7m2qp"
    )


def test_direct_presets_win_over_the_codes_own(engine: Engine) -> None:
    add_catalogue(engine)
    _add_code(engine, "k7m2qp", lang="ar", region="rostock", topic="housing")
    payload = build_payload(referral_code="k7m2qp", lang="fa", service_id="rostock-mbe-awo")
    assert _resolve(engine, payload) == StartPreset(
        lang="fa",
        region="rostock",
        topic="housing",
        service_id="rostock-mbe-awo",
        referral_code="k7m2qp",
    )


def test_link_without_code_presets_directly(engine: Engine) -> None:
    add_catalogue(engine)
    payload = build_payload(lang="uk", region="rostock", topic="migration_counselling")
    assert _resolve(engine, payload) == StartPreset(
        lang="uk", region="rostock", topic="migration_counselling"
    )


def test_unknown_retired_or_broken_links_start_normally(engine: Engine) -> None:
    add_catalogue(engine)
    _add_code(engine, "old111", retired=True, lang="ar")
    assert _resolve(engine, "Rold111") is None
    assert _resolve(engine, "Rnope22") is None
    assert _resolve(engine, "Rold111Lde") is None
    assert _resolve(engine, "not a payload") is None
    assert _resolve(engine, "L" + "a" * 70) is None


def test_presets_the_catalogue_no_longer_knows_are_left_out(engine: Engine) -> None:
    add_catalogue(engine)
    _add_code(engine, "flyer1", lang="ar", service_id="rostock-old-office")
    assert _resolve(engine, "Rflyer1") == StartPreset(lang="ar", referral_code="flyer1")
    assert _resolve(engine, "Lfa" + "Srostock-ended-project") == StartPreset(lang="fa")
    assert _resolve(engine, "Lxx" + "Gatlantis" + "Tweather") is None
