"""The lists a deal's choice steps offer (read-only), and text typed at such a step as a search in them."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.callbacks import parse_id
from db.repo import directories
from domain.errors import Gone
from handlers.kit.context import session_of

QUERY = "query"
Item = tuple[int, str]


def chosen_id(value: str) -> int:
    """A ``Select`` item id comes from the client: a row id, or the press is refused as out of date."""
    parsed = parse_id(value)
    if parsed is None:
        raise Gone("forged item id")
    return parsed


def matching(items: list[Item], query: str | None) -> list[Item]:
    """The items whose name has every typed word (any case)."""
    words = (query or "").casefold().split()
    return [item for item in items if all(word in item[1].casefold() for word in words)]


async def group_items(manager: DialogManager, preferred: int | None = None) -> list[Item]:
    """Active product groups, ``preferred`` (the lead's, the deal's) first."""
    groups = await directories.active_groups(session_of(manager))
    groups.sort(key=lambda group: group.id != preferred)
    return [(group.id, group.label) for group in groups]


async def product_items(manager: DialogManager, group_id: Any) -> list[Item]:
    if not group_id:
        return []
    return [
        (product.id, product.label)
        for product in await directories.active_products(session_of(manager), int(group_id))
    ]
