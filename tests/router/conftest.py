"""One router for all routing tests: the index is built once, as in the running bot."""

from __future__ import annotations

import pytest

from bot.core.router import Router


@pytest.fixture(scope="session")
def router() -> Router:
    return Router.from_locales()
