"""Long replies arrive whole, in readable pieces, with all markup intact."""

from __future__ import annotations

import pytest

from bot.adapters.telegram.render import MAX_MESSAGE, html_pieces, keyboard, split_spans
from bot.core.messages import Option, Span, Style
from tests.servers.fake_telegram import utf16_length, visible_text


def _texts(pieces: list[str]) -> list[str]:
    return [visible_text(piece) for piece in pieces]


def test_short_text_stays_one_message() -> None:
    assert _texts(html_pieces([Span("Hallo "), Span("Rostock", Style.BOLD)])) == ["Hallo Rostock"]


def test_long_text_is_cut_between_paragraphs_and_loses_nothing() -> None:
    paragraphs = [f"Paragraph {n}. " + "word " * 150 for n in range(12)]
    text = "\n\n".join(paragraphs)
    pieces = _texts(html_pieces([Span(text)]))
    assert len(pieces) > 1
    assert all(utf16_length(piece) <= MAX_MESSAGE for piece in pieces)
    assert all(piece.startswith("Paragraph") for piece in pieces)  # each opens a paragraph
    assert "\n\n".join(pieces).split() == text.split()


def test_without_paragraphs_it_cuts_between_lines_then_words() -> None:
    lines = "\n".join("line " * 20 for _ in range(60))
    for piece in _texts(html_pieces([Span(lines)])):
        assert piece.startswith("line") and piece.rstrip().endswith("line")
    words = "Beratung " * 1200
    pieces = _texts(html_pieces([Span(words)]))
    assert all(piece.strip().split() == ["Beratung"] * len(piece.split()) for piece in pieces)
    assert sum(len(piece.split()) for piece in pieces) == 1200


def test_one_endless_word_is_still_delivered() -> None:
    pieces = _texts(html_pieces([Span("x" * 9000)]))
    assert [len(piece) for piece in pieces] == [4096, 4096, 808]


def test_length_is_counted_as_telegram_counts_it() -> None:
    emoji_lines = "\n".join("📍 Ort" for _ in range(1500))  # 6 UTF-16 units and a newline each
    pieces = _texts(html_pieces([Span(emoji_lines)]))
    assert all(utf16_length(piece) <= MAX_MESSAGE for piece in pieces)
    assert len(pieces) == 3


def test_a_cut_never_lands_inside_a_tag_or_an_entity() -> None:
    spans = [
        Span("Titel <A1> & <B1>\n\n", Style.BOLD),
        Span(("Kurse für Anfänger & Fortgeschrittene > A2. " * 60 + "\n") * 5),
        Span("Mehr dazu", Style.LINK, url="https://example.org/?a=1&b=2"),
    ]
    pieces = html_pieces(spans)
    assert len(pieces) > 1
    for piece in pieces:
        visible_text(piece)  # raises like Telegram on a broken tag or entity
    assert pieces[0].startswith("<b>Titel &lt;A1&gt; &amp; &lt;B1&gt;</b>")
    assert pieces[-1].endswith('<a href="https://example.org/?a=1&amp;b=2">Mehr dazu</a>')


def test_a_span_cut_in_two_keeps_its_style_in_both_pieces() -> None:
    chunks = split_spans([Span("fett " * 1000, Style.BOLD)])
    assert len(chunks) == 2
    assert all(span.style == Style.BOLD for chunk in chunks for span in chunk)


@pytest.mark.parametrize("text", ["", "  \n\n  "])
def test_nothing_to_say_sends_no_text(text: str) -> None:
    assert html_pieces([Span(text)]) == []


def test_options_become_one_button_a_row() -> None:
    markup = keyboard([Option("Deutschkurse", "core:topic:language_course"), Option("Wohnen", "x")])
    assert markup is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [[("Deutschkurse", "core:topic:language_course")], [("Wohnen", "x")]]


def test_a_value_telegram_would_refuse_is_left_out_instead_of_failing_the_reply() -> None:
    markup = keyboard([Option("Zu lang", "v" * 65), Option("Gut", "core:menu")])
    assert markup is not None
    assert [row[0].text for row in markup.inline_keyboard] == ["Gut"]
