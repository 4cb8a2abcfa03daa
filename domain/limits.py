"""How long free text may be, measured as it will be rendered (issue 9, finding 8).

Every message goes out with HTML parse mode, so user text is HTML-escaped before Telegram sees it: «<» becomes
four characters and «&» five. A limit checked on the typed text would let 700 «<» through as 2,800 characters,
so every limit here is checked on the escaped length. The numbers are chosen so that any card or summary built
from values within their limits stays under Telegram's 4,096 characters with room for its labels.

Values stored before these limits existed may be longer: cards cut them with :func:`clip` and offer the full
text in parts (:func:`split_rendered`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

#: Telegram's limit on the text of one message, in characters.
MESSAGE_MAX = 4096
#: Telegram's limit on the text of a callback alert.
ALERT_MAX = 200
ELLIPSIS = "…"

# What a user may type, per field (escaped length); ``*_MIN``: the fewest characters accepted.
CONTACT_NAME = 150
CONTACT_POSITION = 150
CONTACT_CLIENT = 200
CLIENT_NAME = 200
LEGAL_NAME = 300
LEAD_DESCRIPTION_MIN = 5
LEAD_DESCRIPTION = 2000
DEAL_COMMENT = 1500
LOG_PART = 1500
#: A refusal's or a rejection's reason: 3–500 characters (a lead's refusal, a route's rejection).
REASON_MIN = 3
REASON = 500
ROUTE_COMMENT_MIN = 1
ROUTE_COMMENT = 1000
TASK_TITLE_MIN = 3
TASK_TITLE = 200
DIRECTORY_NAME_MIN = 2
DIRECTORY_NAME = 100
TEAM_NAME_MIN = 2
TEAM_NAME = 100
SEARCH_TEXT = 200
#: A search uses only its first words: each is a LIKE in one query, and SQLite's expression tree is finite.
SEARCH_WORDS = 8

# How much of a value a card or a list shows before it cuts with «…».
CARD_TEXT = 800
CARD_REASON = 400
CARD_NAME = 120
CARD_LINES = 10
#: How many characters one list on a card (product lines, contact persons, leads) may take in all.
CARD_LIST = 1500
LINE_TEXT = 100


@dataclass(frozen=True, slots=True)
class TooLong:
    """A text over its limit: both numbers are escaped lengths, as the user will be told them."""

    limit: int
    length: int


def rendered_length(text: str) -> int:
    """The length of ``text`` once HTML-escaped for a message."""
    return len(html.escape(text, quote=False))


def check_length(text: str, limit: int) -> TooLong | None:
    """``None`` when ``text``, as it will be rendered, fits ``limit``; otherwise the limit and the length."""
    length = rendered_length(text)
    return TooLong(limit, length) if length > limit else None


def clip(text: str, limit: int) -> str:
    """``text`` cut so that, escaped, it fits ``limit`` characters, ending with «…» when something was cut.

    The cut is made on the typed text, never inside an escaped entity."""
    if rendered_length(text) <= limit:
        return text
    budget = max(0, limit - len(ELLIPSIS))
    used = 0
    for index, char in enumerate(text):
        used += rendered_length(char)
        if used > budget:
            return text[:index].rstrip() + ELLIPSIS
    return text  # pragma: no cover - unreachable: the whole text was over the limit


def split_rendered(text: str, limit: int = MESSAGE_MAX) -> list[str]:
    """``text`` in consecutive pieces that each fit ``limit`` once escaped, cut at a line break or a space
    when one is near the end of a piece. Joined back, the pieces give the whole text."""
    pieces: list[str] = []
    start = 0
    while start < len(text):
        used = 0
        end = start
        while end < len(text):
            size = rendered_length(text[end])
            if used + size > limit:
                break
            used += size
            end += 1
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind("\n"), window.rfind(" "))
            if cut > len(window) // 2:
                end = start + cut + 1
        pieces.append(text[start:end])
        start = end
    return pieces
