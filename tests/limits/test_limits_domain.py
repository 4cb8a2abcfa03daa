"""``domain.limits``: lengths are the rendered (HTML-escaped) lengths; cutting never splits an entity."""

from __future__ import annotations

import html
import random

import pytest

from domain import limits

ALPHABET = "аб<>&\n "


@pytest.mark.parametrize(
    ("text", "length"), [("", 0), ("Иванов", 6), ("<" * 700, 2800), ("&" * 1500, 7500), ("a>b", 6)]
)
def test_rendered_length_counts_escaped_characters(text: str, length: int) -> None:
    assert limits.rendered_length(text) == length


def test_check_length_gives_the_limit_and_the_shown_length() -> None:
    assert limits.check_length("<" * 500, 2000) is None
    assert limits.check_length("<" * 501, 2000) == limits.TooLong(limit=2000, length=2004)


def test_clip_and_split_on_random_texts() -> None:
    rng = random.Random(9)
    for _ in range(300):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 600)))
        limit = rng.randint(5, 400)
        cut = limits.clip(text, limit)
        assert limits.rendered_length(cut) <= max(limit, limits.rendered_length(text) if cut == text else 0)
        if cut != text:
            assert cut.endswith(limits.ELLIPSIS) and text.startswith(cut[:-1])
        pieces = limits.split_rendered(text, limit)
        assert "".join(pieces) == text
        assert all(0 < limits.rendered_length(piece) <= limit for piece in pieces)
        escaped = [html.escape(piece, quote=False) for piece in pieces]
        assert "".join(escaped) == html.escape(text, quote=False)  # no entity is split between pieces
