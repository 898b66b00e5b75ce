"""Deep-link payloads: what Telegram allows passes, anything else becomes a normal start."""

from __future__ import annotations

import pytest

from bot.adapters.telegram.updates import language_of, start_payload


@pytest.mark.parametrize("payload", ["LarGrostock", "Rk7m2qp", "a", "A-z_0-9", "x" * 64])
def test_payloads_telegram_allows_pass(payload: str) -> None:
    assert start_payload(f" {payload}") == payload


@pytest.mark.parametrize(
    "payload", ["", "x" * 65, "de rostock", "ümlaut", "<script>", "a/b", "a.b", "%20"]
)
def test_anything_else_is_ignored(payload: str) -> None:
    assert start_payload(payload) is None


@pytest.mark.parametrize(
    ("code", "lang"), [("de", "de"), ("pt-BR", "pt"), ("en_US", "en"), ("UK", "uk"), (None, None)]
)
def test_client_language_is_reduced_to_its_primary_subtag(
    code: str | None, lang: str | None
) -> None:
    assert language_of(code) == lang
