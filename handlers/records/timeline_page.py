"""One page of a record's timeline as the text of one message.

An interaction shows its kind, outcome and verdict (R1d/R1e/R3: qualifying as it was saved, or why not, by
the domain's own checks), its author and time, both parts of its comment in full and the next step set with
it. Audit entries show as :class:`handlers.records.timeline.Renderer` renders them.

A message never exceeds Telegram's 4,096 characters: a page first shows fewer changes per audit entry
(``DETAIL_LEVELS``), then fewer entries (the next page starts where this one stopped); the first entry of a
page is always shown, its comment cut with «…» only when it alone would not fit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.i18n import Html, Translator, escape
from db.models import Interaction, Task
from db.repo.timeline import Line, TimelinePage
from domain import limits
from domain.comments import DEFAULT_COMMENT_POLICY, CommentPolicy, Reason, check_expanded_comment
from domain.interactions import InteractionKind, Outcome, outcomes_for, reaches_client
from handlers.records.timeline import VALUE_MAX, Renderer, short

#: The most a page's text takes (Telegram allows 4,096), less room for a hint shown above it.
TEXT_MAX = 4000
HINT_ROOM = 160
DETAIL_LEVELS = (8, 3, 0)  # changes shown per audit entry; fewer when a page would not fit in one message
SEPARATOR = "\n\n"

#: Renders an entry with at most ``details`` changes (audit) and each comment part cut to ``clip`` (or whole).
Item = Callable[[int, int | None], str]


def measure(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units): an emoji counts twice."""
    return len(text.encode("utf-16-le")) // 2


class InteractionView:
    """Interactions as timeline entries, in the reader's language and time zone."""

    def __init__(self, renderer: Renderer, policy: CommentPolicy = DEFAULT_COMMENT_POLICY) -> None:
        self.renderer = renderer
        self.i18n: Translator = renderer.i18n
        self.policy = policy

    def _label(self, key: str, fallback: str) -> str:
        return self.i18n(key) if self.i18n.has(key) else escape(fallback)

    def _reason(self, reason: Reason) -> str:
        key = f"records-why-{reason.key}"
        text = self.i18n(key, **reason.params) if self.i18n.has(key) else self.i18n("records-why-other")
        part = self._label(f"records-part-{reason.field}", reason.field)
        return self.i18n("records-why-part", part=Html(part), reason=Html(text))

    def why(self, row: Interaction) -> str:
        """Why an interaction does not qualify: the client was not reached (R1d, R1e), or which part of the
        comment is not expanded and why (R3)."""
        try:
            kind, outcome = InteractionKind(row.kind), Outcome(row.outcome)
        except ValueError:
            return self.i18n("records-why-other")
        if outcome not in outcomes_for(kind):
            return self.i18n("records-why-other")
        if not reaches_client(kind, outcome):
            return self._label(f"records-why-{outcome.value}", outcome.value)
        check = check_expanded_comment(row.discussed, row.agreed, self.policy)
        if check.ok:  # judged by the rules in force when it was saved
            return self.i18n("records-why-at-save")
        reasons = "; ".join(self._reason(reason) for reason in check.reasons)
        return self.i18n("records-why-comment", reasons=Html(reasons))

    def verdict(self, row: Interaction) -> str:
        """The verdict the interaction was saved with (R1d: what counted for the lead and moved the deal's R2h
        deadline), and for one that does not qualify, why."""
        if row.qualifying:
            return self.i18n("records-verdict-qualifying")
        return self.i18n("records-verdict-not-qualifying", why=Html(self.why(row)))

    def entry(self, row: Interaction, author: str | None, next_step: Task | None, clip: int | None) -> str:
        """The interaction with both parts of its comment, each cut to ``clip`` (rendered) when given."""
        action = self.i18n(
            "records-interaction",
            kind=Html(self._label(f"records-kind-{row.kind}", row.kind)),
            outcome=Html(self._label(f"records-outcome-{row.outcome}", row.outcome)),
            verdict=Html(self.verdict(row)),
        )
        entity, entity_id = ("deal", row.deal_id) if row.deal_id is not None else ("lead", row.lead_id or 0)
        lines = [self.renderer.header(row.occurred_at, author, action, entity, entity_id)]
        for key, text in (("records-discussed", row.discussed), ("records-agreed", row.agreed)):
            text = (text or "").strip()
            if text:
                lines.append(self.i18n(key, text=text if clip is None else limits.clip(text, clip)))
        if next_step is not None:
            lines.append(
                self.i18n(
                    "records-next-step",
                    title=short(next_step.title, VALUE_MAX),
                    due=self.renderer.at(next_step.due_at),
                )
            )
        return "\n".join(lines)


def items_of(page: TimelinePage, renderer: Renderer, view: InteractionView) -> list[Item]:
    """Each line of the page as a function of its detail level and comment cut."""

    def item(line: Line) -> Item:
        if line.interaction is not None:
            row = line.interaction
            step = page.next_steps.get(row.id)
            rendered: dict[int | None, str] = {}  # the same whatever the detail level

            def interaction(_details: int, clip: int | None) -> str:
                if clip not in rendered:
                    rendered[clip] = view.entry(row, line.author, step, clip)
                return rendered[clip]

            return interaction
        entry = line.audit
        assert entry is not None
        return lambda details, _clip: renderer.entry(entry, line.author, details)

    return [item(line) for line in page.lines]


def _prefix(texts: Sequence[str], budget: int) -> int:
    """How many of ``texts``, from the first, fit ``budget`` together."""
    used = -len(SEPARATOR)
    for count, text in enumerate(texts):
        used += len(SEPARATOR) + measure(text)
        if used > budget:
            return count
    return len(texts)


def fit(items: Sequence[Item], budget: int) -> list[str]:
    """The entries a page shows within ``budget``: all of them with as many changes as fit; otherwise the most
    entries from the first; otherwise the first alone with its comment parts cut to fit."""
    best: list[str] = []
    for details in DETAIL_LEVELS:
        texts = [item(details, None) for item in items]
        count = _prefix(texts, budget)
        if count == len(texts):
            return texts
        if count > len(best):
            best = texts[:count]
    if best or not items:
        return best
    first = items[0]
    low, high = 0, limits.rendered_length(first(DETAIL_LEVELS[-1], None))
    while low < high:  # the longest cut of each part that still fits
        middle = (low + high + 1) // 2
        if measure(first(DETAIL_LEVELS[-1], middle)) <= budget:
            low = middle
        else:
            high = middle - 1
    return [first(DETAIL_LEVELS[-1], low)]


@dataclass(frozen=True)
class PageText:
    text: str
    shown: int


def page_text(
    i18n: Translator,
    title: str,
    page: int,
    found: TimelinePage,
    items: Sequence[Item],
    page_size: int,
) -> PageText:
    """The title, «page N of M» and as many entries as fit; M counts the pages after this one as full ones."""
    if not items:
        return PageText("\n".join((title, i18n("records-history-empty"))), 0)
    most_pages = page + found.total - found.start  # as if every page after this one had one entry
    room = measure(title) + measure(i18n("records-page", page=page + 1, pages=most_pages)) + 3
    texts = fit(items, TEXT_MAX - HINT_ROOM - room)
    left = found.total - found.start - len(texts)
    pages = page + 1 + -(-left // page_size)
    header: dict[str, Any] = {"page": page + 1, "pages": pages}
    return PageText("\n".join((title, i18n("records-page", **header), "", SEPARATOR.join(texts))), len(texts))
