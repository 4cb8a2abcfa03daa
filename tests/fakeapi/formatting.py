"""Telegram-like validation of formatted text (HTML / MarkdownV2) for the fake Bot API.

The goal is not a byte-exact reimplementation of Telegram's parser but to refuse the same
kind of input Telegram refuses (unknown/unbalanced tags, bare ``&``/``<``, unescaped
MarkdownV2 reserved characters), so tests catch unescaped user data.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["EntityParseError", "format_text", "parse_html", "parse_markdown_v2", "utf16_len"]


class EntityParseError(ValueError):
    """Raised when formatted text cannot be parsed; the message mimics Telegram's wording."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_TAG_RE = re.compile(
    r"<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9-]*)"
    r"(?P<attrs>(?:\s+[a-zA-Z][a-zA-Z0-9_-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*/?>"
)
_ATTR_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9_-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _unescape(text: str, base: int, full: str) -> str:
    """Decode the allowed HTML entities; raise on a bare ``&``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "&":
            m = _ENTITY_RE.match(text, i)
            if not m:
                raise EntityParseError(
                    f"Unsupported HTML entity or bare '&' at byte offset {_byte_offset(full, base + i)}"
                )
            named, dec, hexa = m.groups()
            if named:
                out.append(_NAMED[named])
            else:
                code = int(dec) if dec else int(hexa, 16)
                try:
                    out.append(chr(code))
                except (ValueError, OverflowError):
                    raise EntityParseError(
                        f"Invalid numeric HTML entity at byte offset {_byte_offset(full, base + i)}"
                    ) from None
            i = m.end()
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML. Returns (plain_text, entities) or raises EntityParseError."""
    out: list[str] = []
    out_len = 0  # in UTF-16 code units
    stack: list[tuple[str, int, dict[str, str], int]] = []
    entities: list[dict[str, Any]] = []
    order: list[int] = []  # byte position of each entity's start tag, to sort outer before inner
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "<":
            m = _TAG_RE.match(text, i)
            if not m:
                raise EntityParseError(
                    f"Unsupported start tag or bare '<' at byte offset {_byte_offset(text, i)}"
                )
            name = m.group("name").lower()
            if m.group("close"):
                if not stack:
                    raise EntityParseError(
                        f'Unexpected end tag "{name}" at byte offset {_byte_offset(text, i)}'
                    )
                open_name, start, open_attrs, open_pos = stack.pop()
                if open_name != name:
                    raise EntityParseError(
                        f"Unmatched end tag at byte offset {_byte_offset(text, i)}, "
                        f'expected "</{open_name}>", found "</{name}>"'
                    )
                length = out_len - start
                if length > 0:
                    entity: dict[str, Any] = {
                        "type": _HTML_ENTITY_TYPES[open_name],
                        "offset": start,
                        "length": length,
                    }
                    if open_name == "a":
                        if "href" in open_attrs:
                            entity["url"] = open_attrs["href"]
                        else:
                            entity = {}
                    elif open_name == "tg-emoji":
                        entity["custom_emoji_id"] = open_attrs.get("emoji-id", "")
                    elif open_name == "pre" and open_attrs.get("_language"):
                        entity["language"] = open_attrs["_language"]
                    elif open_name == "blockquote" and "expandable" in open_attrs:
                        entity["type"] = "expandable_blockquote"
                    if entity:
                        order.append(open_pos)
                        entities.append(entity)
            else:
                if name not in _HTML_ENTITY_TYPES:
                    raise EntityParseError(
                        f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, i)}'
                    )
                attrs: dict[str, str] = {}
                attr_base = m.start("attrs")
                for am in _ATTR_RE.finditer(m.group("attrs")):
                    value = am.group(2) or ""
                    if value[:1] in {'"', "'"}:
                        value = value[1:-1]
                    attrs[am.group(1).lower()] = _unescape(value, attr_base + am.start(), text)
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise EntityParseError('Tag "span" must have class "tg-spoiler"')
                if name == "tg-emoji" and not attrs.get("emoji-id"):
                    raise EntityParseError('Tag "tg-emoji" must have attribute "emoji-id"')
                if name == "code" and stack and stack[-1][0] == "pre":
                    cls = attrs.get("class", "")
                    if cls.startswith("language-"):
                        stack[-1][2]["_language"] = cls[len("language-") :]
                stack.append((name, out_len, attrs, i))
            i = m.end()
            continue
        # plain text run up to the next tag
        j = text.find("<", i)
        if j == -1:
            j = n
        chunk = _unescape(text[i:j], i, text)
        out.append(chunk)
        out_len += utf16_len(chunk)
        i = j
    if stack:
        name, _, _, pos = stack[-1]
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{name}" '
            f"at byte offset {_byte_offset(text, pos)}"
        )
    ranked = sorted(zip(order, entities, strict=True), key=lambda p: (p[1]["offset"], -p[1]["length"], p[0]))
    return "".join(out), [entity for _, entity in ranked]


_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!\\")
_MDV2_NAMES = {"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough", "||": "Spoiler"}


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Validate MarkdownV2 the way Telegram does (reserved characters must be escaped).

    Returns (plain_text, []) — entities are not computed for MarkdownV2.
    """
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    i = 0
    n = len(text)
    at_line_start = True
    while i < n:
        ch = text[i]
        if ch == "\\":
            if i + 1 < n and 0 < ord(text[i + 1]) < 127:
                out.append(text[i + 1])
                i += 2
                at_line_start = False
                continue
            raise EntityParseError(
                f"Character '\\' is reserved and must be escaped with the preceding '\\' "
                f"at byte offset {_byte_offset(text, i)}"
            )
        if ch == "`":
            fence = "```" if text.startswith("```", i) else "`"
            j = i + len(fence)
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(fence, j):
                    break
                j += 1
            if j >= n:
                kind = "Pre" if fence == "```" else "Code"
                raise EntityParseError(
                    f"Can't find end of {kind} entity at byte offset {_byte_offset(text, i)}"
                )
            out.append(text[i + len(fence) : j].replace("\\`", "`").replace("\\\\", "\\"))
            i = j + len(fence)
            at_line_start = False
            continue
        marker = None
        if ch == "_":
            marker = "__" if text.startswith("__", i) else "_"
        elif ch in "*~":
            marker = ch
        elif ch == "|" and text.startswith("||", i):
            marker = "||"
        if marker is not None:
            if stack and stack[-1][0] == marker:
                stack.pop()
            else:
                stack.append((marker, i))
            i += len(marker)
            at_line_start = False
            continue
        if ch == "[":
            stack.append(("[", i))
            i += 1
            continue
        if ch == "]" and stack and stack[-1][0] == "[":
            stack.pop()
            if text.startswith("(", i + 1):
                j = i + 2
                while j < n and text[j] != ")":
                    j += 2 if text[j] == "\\" else 1
                if j >= n:
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}"
                    )
                i = j + 1
            else:
                i += 1
            continue
        if ch == ">" and at_line_start:
            i += 1
            continue
        if ch in _MDV2_RESERVED:
            raise EntityParseError(
                f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        out.append(ch)
        at_line_start = ch == "\n"
        i += 1
    if stack:
        marker, pos = stack[-1]
        name = _MDV2_NAMES.get(marker, "TextUrl")
        raise EntityParseError(f"Can't find end of {name} entity at byte offset {_byte_offset(text, pos)}")
    return "".join(out), []


def format_text(
    text: str, parse_mode: str | None, entities: Any = None
) -> tuple[str, list[dict[str, Any]] | None]:
    """Apply ``parse_mode`` like Telegram. Returns (plain_text, entities or None)."""
    if entities:
        # explicit entities win over parse_mode (Telegram ignores parse_mode then)
        return text, list(entities) if isinstance(entities, list) else None
    mode = (parse_mode or "").strip().lower()
    if not mode:
        return text, None
    if mode == "html":
        plain, ents = parse_html(text)
    elif mode == "markdownv2":
        plain, ents = parse_markdown_v2(text)
    elif mode == "markdown":
        plain, ents = text, []
    else:
        raise EntityParseError("Unsupported parse_mode")
    return plain, ents or None
