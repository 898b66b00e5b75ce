"""Whatever someone types, reading numbers, ages and typed choices out of it never fails."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.dialogue import choices, numbers
from bot.core.messages import Option
from bot.storage.models import User

OPTIONS = [
    Option("🩺 Лікар або лікарня", "itp:kind:uk:doctor"),
    Option("Migrationsberatung für Erwachsene (MBE)", "core:svc:mbe"),
    Option("مدينتك", "core:region:rostock"),
    Option("🏠 Menu", "core:menu"),
]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_plausible_age_or_none(typed: str) -> None:
    for found in (numbers.age_answer(typed), numbers.stated_age(typed)):
        assert found is None or 0 < found <= numbers.MAX_AGE


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_picks_one_of_the_options_shown_or_none(typed: str) -> None:
    user = User(platform="test", platform_user_id="u", chat_id="c", state={})
    choices.remember(user, OPTIONS)
    values = {option.value for option in OPTIONS}
    for found in (choices.by_number(user, typed), choices.by_words(user, typed)):
        assert found is None or found in values
