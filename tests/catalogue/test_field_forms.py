"""The forms of contacts, links, dates and chat addresses an admin may write, and those refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services_catalog.editing import set_path
from services_catalog.records import ServiceRecord


def _service(**fields: Any) -> ServiceRecord:
    data: dict[str, Any] = {
        "id": "testburg-wohnen",
        "region": "testburg",
        "topics": ["housing"],
        "title": {"de": "Wohnberatung"},
        "source": "Flyer",
    }
    for path, value in fields.items():
        set_path(data, path.replace("__", "."), value)
    return ServiceRecord.model_validate(data)


@pytest.mark.parametrize(
    "phone", ["0381 1234567", "+49 381 1234567", "(0381) 123 45 67", "0800 1110111", "116 117"]
)
def test_phone_numbers_as_offices_write_them_are_accepted(phone: str) -> None:
    assert _service(contact__phone=phone).contact.phone == phone


@pytest.mark.parametrize(
    "url", ["https://www.rostock.de/migration", "http://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG"]
)
def test_web_links_are_accepted(url: str) -> None:
    assert _service(contact__website=url).contact.website == url


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,x", "ftp://example.org", "//example.org", "https://"],
)
def test_other_links_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="is not a web address"):
        _service(contact__online_counselling=url)


@pytest.mark.parametrize(
    "chat", ["telegram:-1001234567890", "telegram:-123456", "matrix:!abc123:example.org",
             "matrix:!Xy_z:matrix.rostock.de:8448"],
)  # fmt: skip
def test_coordination_chats_in_either_form_are_accepted(chat: str) -> None:
    record = _service(interpreter_pool__coordination_chat=chat)
    assert record.interpreter_pool is not None
    assert record.interpreter_pool.coordination_chat == chat


@pytest.mark.parametrize(
    "chat", ["telegram -100123", "telegram:", "telegram:abc", "matrix:#room:example.org",
             "matrix:!room", "slack:C123"],
)  # fmt: skip
def test_mistyped_coordination_chats_are_refused(chat: str) -> None:
    with pytest.raises(ValueError, match="is not a chat address"):
        _service(interpreter_pool__coordination_chat=chat)


@pytest.mark.parametrize(
    ("written", "day"),
    [("2027-12-31", date(2027, 12, 31)), ("31.12.2027", date(2027, 12, 31)),
     ("1.7.2027", date(2027, 7, 1)), (" 01.07.2027 ", date(2027, 7, 1))],
)  # fmt: skip
def test_iso_and_german_dates_are_read(written: str, day: date) -> None:
    assert _service(valid_until=written).valid_until == day


def test_an_e_mail_address_is_checked_for_its_form_only() -> None:
    assert _service(contact__email="beratung@awo-rostock.de").contact.email
    with pytest.raises(ValueError, match="is not an e-mail address"):
        _service(contact__email="beratung at awo-rostock.de")
