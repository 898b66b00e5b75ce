"""One router for all routing tests: the index is built once, as in the running bot."""

from __future__ import annotations

import pytest

from bot.core.router import Router
from bot.core.semantic.stage import shared_stage


@pytest.fixture(scope="session")
def router() -> Router:
    return Router.from_locales()


@pytest.fixture(scope="session")
def understanding() -> Router:
    """The lexicon and the semantic stage together, as the bot routes."""
    return Router.from_locales(semantic=shared_stage())
