"""The deal card's content (R2e–R2h), one row per entry of ``CARD_ROWS``, and the R1c check every card
window and button makes before it shows or changes anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from aiogram_dialog import DialogManager

from bot.cards import clipped, first_lines, is_clipped
from bot.i18n import Html, Translator
from db.base import utcnow
from db.models import Deal
from db.repo import deals as repo
from db.repo import directories, users
from db.repo.outcome_reasons import reason_text
from db.repo.visibility import may_act, may_see
from domain import errors, limits
from domain.deals import AT_RISK_DAYS, DealState, DealStatus, is_at_risk, total_amount
from domain.money import Money
from handlers.deals.fields import DETAILS, money, stage_label
from handlers.kit.context import actor_of, session_of, settings_of, user_of


class DealIsClosed(errors.Closed):
    """A change asked of a won or lost deal."""

    key = "deal-closed"


def now() -> datetime:
    return utcnow()


def zone(manager: DialogManager) -> tzinfo:
    return ZoneInfo(user_of(manager).timezone or settings_of(manager).default_timezone)


def deal_id_of(manager: DialogManager) -> int:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return int(start["deal_id"])


async def deal_for(manager: DialogManager, *, change: bool, deal_id: int | None = None) -> Deal:
    """R1c / Access: to look, ``may_see``; to change, ``may_act`` and an open deal. ``deal_id``: the card's
    deal unless given (an entry point checks before it opens anything)."""
    session, actor = session_of(manager), actor_of(manager)
    deal = await repo.get_deal(session, deal_id_of(manager) if deal_id is None else deal_id)
    if deal is None:
        raise errors.Gone("deal not found")
    allowed = may_act if change else may_see
    if not await allowed(session, actor, deal.responsible_id):
        raise errors.NotAllowed("deal of another manager")
    if change and deal.status != DealStatus.OPEN.value:
        raise DealIsClosed("deal is closed")
    return deal


@dataclass(frozen=True)
class CardView:
    deal: Deal
    state: DealState
    group: str
    responsible: str
    products: dict[int, str]
    tz: tzinfo

    @property
    def is_open(self) -> bool:
        return self.deal.status == DealStatus.OPEN.value

    @property
    def comment_clipped(self) -> bool:
        return is_clipped(self.deal.comment)


async def load_card(manager: DialogManager, deal: Deal) -> CardView:
    session, settings = session_of(manager), settings_of(manager)
    group = await directories.get_group(session, deal.product_group_id)
    names = await users.user_names(session, [deal.responsible_id])
    tz = zone(manager)
    return CardView(
        deal=deal,
        state=repo.state_of(deal, now(), settings.inactivity_period, settings.comment_policy, tz),
        group=group.label if group else "",
        responsible=names.get(deal.responsible_id, ""),
        products=await directories.product_names(session, [line.product_id for line in deal.lines]),
        tz=tz,
    )


# --- the rows, in the order the card shows them ---------------------------------------------------------

Row = Callable[[Translator, CardView], list[str]]


def _title(i18n: Translator, view: CardView) -> list[str]:
    return [i18n("deal-card-title", id=str(view.deal.id), status=i18n(f"deal-status-{view.deal.status}"))]


def _contact(i18n: Translator, view: CardView) -> list[str]:
    return [i18n("deal-card-contact", name=clipped(view.deal.contact.full_name, limits.CARD_NAME))]


def _group(i18n: Translator, view: CardView) -> list[str]:
    return [i18n("deal-card-group", group=clipped(view.group, limits.CARD_NAME))]


def _stage(i18n: Translator, view: CardView) -> list[str]:
    if not view.is_open:
        return []
    return [i18n("deal-card-stage", stage=clipped(stage_label(i18n, view.deal.stage), limits.CARD_NAME))]


def _lines(i18n: Translator, view: CardView) -> list[str]:
    lines = [
        i18n(
            "deal-line",
            product=clipped(view.products.get(line.product_id, "?"), limits.LINE_TEXT),
            amount=money(line.amount_minor),
        )
        for line in view.deal.lines
    ] or [i18n("deal-no-lines")]
    total = Money(total_amount(repo.snapshot(view.deal).lines)).display()
    return [
        i18n("deal-card-lines", lines=Html("\n".join(first_lines(i18n, lines)))),
        i18n("deal-card-total", total=total),
    ]


def _details(i18n: Translator, view: CardView) -> list[str]:
    return [row for detail in DETAILS for row in detail.card_rows(i18n, "deal", view.deal)]


def _responsible(i18n: Translator, view: CardView) -> list[str]:
    return [i18n("deal-card-responsible", name=clipped(view.responsible, limits.CARD_NAME))]


def _comment(i18n: Translator, view: CardView) -> list[str]:
    return [i18n("deal-card-comment", comment=clipped(view.deal.comment))]


def _state(i18n: Translator, view: CardView) -> list[str]:
    """R2e–R2h: correct or not (with the missing fields), active or not, the deadline."""
    state, deal = view.state, view.deal
    rows: list[str] = []
    if state.correct:
        rows.append(i18n("deal-card-correct"))
    else:
        fields = ", ".join(i18n(f"field-{name}") for name in state.problems)
        rows.append(i18n("deal-card-incorrect", fields=fields))
    if deal.status != DealStatus.OPEN.value or state.deadline_day is None or state.days_left is None:
        return rows
    deadline = state.deadline_day.strftime("%d.%m.%Y")
    if state.active:
        rows.append(i18n("deal-card-active", deadline=deadline, days=state.days_left))
    elif not state.correct:
        rows.append(i18n("deal-card-inactive-incorrect", deadline=deadline))
    else:
        rows.append(i18n("deal-card-inactive-overdue", deadline=deadline, days=-state.days_left))
    return rows


def _closed(i18n: Translator, view: CardView) -> list[str]:
    deal, rows = view.deal, []
    if deal.closed_at is not None:
        at = deal.closed_at.astimezone(view.tz).strftime("%d.%m.%Y %H:%M")
        rows.append(i18n("deal-card-closed-at", at=at))
    reason = lost_reason_label(deal, i18n, limits.CARD_REASON)
    if reason:
        rows.append(i18n("deal-card-lost-reason", reason=reason))
    return rows


def lost_reason_label(deal: Deal, i18n: Translator, limit: int) -> str:
    """Why a lost deal was lost, as the card and the «Проиграны» list show it: «<reason> — <text>» with the
    text clipped to ``limit``; empty for any other deal. ``deal.lost_reason_item`` must be loaded."""
    if not (deal.lost_reason_id or deal.lost_reason):
        return ""
    text = clipped(deal.lost_reason, limit) if deal.lost_reason else None
    return reason_text(deal.lost_reason_item, text, i18n.language)


CARD_ROWS: tuple[Row, ...] = (
    _title,
    _contact,
    _group,
    _stage,
    _lines,
    _details,
    _responsible,
    _comment,
    _state,
    _closed,
)


def list_icon(state: DealState, at_risk_days: int = AT_RISK_DAYS) -> str:
    """⚠️ incorrect, 💤 inactive, ⏳ at risk (``is_at_risk``), 🟢 active."""
    if not state.correct:
        return "⚠️"
    if not state.active:
        return "💤"
    if is_at_risk(state.active, state.days_left, at_risk_days):
        return "⏳"
    return "🟢"
