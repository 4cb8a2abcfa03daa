"""Page sizes and the arithmetic every paged list shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

PAGE_SIZE = 10
DIRECTORY_PAGE_SIZE = 8  # directory entries carry a button row each, so a page is shorter


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a counted list: its rows, its number (from 0), how many pages and rows there are."""

    rows: list[T]
    page: int
    pages: int
    total: int

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.pages


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    """How many pages ``total`` rows fill; an empty list still has one (empty) page."""
    return max(1, -(-total // size))


def clamp_page(page: int, total: int, size: int = PAGE_SIZE) -> int:
    """``page`` kept inside the list, so a stale «next» button shows the last page instead of an empty one."""
    return min(max(page, 0), page_count(total, size) - 1)


def offset(page: int, size: int = PAGE_SIZE) -> int:
    return max(page, 0) * size


def trim(rows: Sequence[T], size: int = PAGE_SIZE) -> tuple[list[T], bool]:
    """Rows fetched with ``limit(size + 1)``: the page, and whether there is a next one."""
    return list(rows[:size]), len(rows) > size


def slice_page(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> tuple[list[T], bool]:
    """One page of a list already in memory, and whether there is a next one."""
    start = offset(page, size)
    return list(items[start : start + size]), len(items) > start + size
