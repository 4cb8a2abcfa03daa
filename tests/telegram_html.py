"""A strict check of Telegram's HTML parse mode, shared by both fake Bot API servers.

Telegram refuses a message whose markup is unbalanced, uses an unknown tag or has a bare ``&``. A test that
sends unescaped user data such as ``<b>срочно</b> & Co`` therefore fails here as it would in production.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre",
    "blockquote", "tg-emoji",
}  # fmt: skip
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class HtmlError(ValueError):
    pass


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise HtmlError(f'unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_data(self, data: str) -> None:
        if "<" in data:
            raise HtmlError("unescaped '<'")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise HtmlError(f'unexpected end tag "{tag}"')
        self.stack.pop()


def check_html(text: str) -> None:
    """Raise ``HtmlError`` where Telegram would answer "can't parse entities"."""
    for match in re.finditer("&", text):
        if not _ENTITY.match(text, match.start()):
            raise HtmlError("unescaped '&'")
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        raise HtmlError(f'unclosed tag "{checker.stack[-1]}"')
