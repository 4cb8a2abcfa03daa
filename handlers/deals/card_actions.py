"""What the deal card's buttons do: a new stage, a product line, won and lost (each confirmed, lost with its
reason), a call logged or a task set on the deal, and the list's filters.

R1c: every button re-checks the presser's rights (``deal_for``), and the repository checks them again inside
the write, where a won or lost deal refuses any change.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode

from bot.cards import send_full_text
from db.repo import deal_changes as repo
from db.repo import directories
from db.repo.deal_lists import DEAL_FILTERS
from domain import errors
from domain.deals import DealStatus
from handlers.deals.card_view import DealIsClosed, deal_for, deal_id_of
from handlers.deals.choices import QUERY, chosen_id, matching, product_items
from handlers.deals.states import DealCard
from handlers.interactions.states import LogForm
from handlers.kit.cards import track_card
from handlers.kit.context import actor_of, i18n_of, session_of
from handlers.kit.inputs import clear_error, set_error
from handlers.kit.steps import tell
from handlers.tasks.states import TaskForm

log = logging.getLogger(__name__)

NOTICE = "notice"
#: Set once the card was acted on: «Сделка сохранена» is shown only on the card the form ended with.
SEEN = "seen"
WINDOWS = {"stage": DealCard.stage, "product": DealCard.product, "won": DealCard.won, "lost": DealCard.lost}
_track = track_card("deal", "deal_id")


async def on_start(start_data: Any, manager: DialogManager) -> None:
    """Only a deal this user may see is opened (and becomes the card a document sent next is attached to)."""
    start = start_data if isinstance(start_data, dict) else {}
    window = WINDOWS.get(str(start.get("window") or ""))
    await deal_for(manager, change=window is not None)
    await _track(start_data, manager)
    if window is not None:
        await manager.switch_to(window)


async def to_card(manager: DialogManager, notice: str | None = None) -> None:
    manager.dialog_data[NOTICE] = notice
    manager.dialog_data[SEEN] = True
    manager.dialog_data.pop(QUERY, None)
    await manager.switch_to(DealCard.main)


async def on_back(event: Any, widget: Any, manager: DialogManager) -> None:
    await to_card(manager)


def _opener(window: Any) -> Any:
    async def on_click(event: Any, widget: Any, manager: DialogManager) -> None:
        await deal_for(manager, change=True)
        manager.dialog_data[NOTICE] = None
        manager.dialog_data[SEEN] = True
        await manager.switch_to(window)

    return on_click


open_stage = _opener(DealCard.stage)
open_product = _opener(DealCard.product)
open_won = _opener(DealCard.won)
open_lost = _opener(DealCard.lost)


async def _write(manager: DialogManager, change: Any) -> None:
    """Run a repository change; a deal closed meanwhile gives the deal's own answer."""
    try:
        await change
    except repo.DealClosed:
        raise DealIsClosed("deal is closed") from None
    except ValueError:
        raise errors.Gone("the choice is no longer available") from None


async def on_stage(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    session, actor = session_of(manager), actor_of(manager)
    await _write(manager, repo.change_stage(session, actor, deal_id_of(manager), chosen_id(item_id)))
    await to_card(manager, "deal-stage-changed")


async def on_product(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    deal = await deal_for(manager, change=True)
    product = await directories.get_product(session_of(manager), chosen_id(item_id))
    if product is None or not product.is_active or product.group_id != deal.product_group_id:
        raise errors.Gone("product not in the deal's group")
    manager.dialog_data["product_id"] = product.id
    manager.dialog_data.pop(QUERY, None)
    await manager.switch_to(DealCard.amount)


async def search_product(message: Message, widget: Any, manager: DialogManager) -> None:
    """A product's name typed instead of pressed: the list narrows; one match is taken."""
    deal = await deal_for(manager, change=True)
    found = matching(await product_items(manager, deal.product_group_id), message.text)
    if not found:
        manager.dialog_data.pop(QUERY, None)
        set_error(manager, "deal-search-none", text=(message.text or "")[:50])
        return
    clear_error(manager)
    manager.dialog_data[QUERY] = message.text
    if len(found) == 1:
        await on_product(message, widget, manager, str(found[0][0]))


async def on_amount(event: Any, widget: Any, manager: DialogManager, minor: int) -> None:
    session, actor = session_of(manager), actor_of(manager)
    product_id = manager.dialog_data.get("product_id")
    if not product_id:
        raise errors.Gone("no product chosen")
    await _write(manager, repo.add_line(session, actor, deal_id_of(manager), int(product_id), minor))
    await to_card(manager, "deal-line-added")


async def on_won(event: Any, widget: Any, manager: DialogManager) -> None:
    session, actor = session_of(manager), actor_of(manager)
    await _write(manager, repo.close_deal(session, actor, deal_id_of(manager), DealStatus.WON))
    log.info("deal %s won, user %s", deal_id_of(manager), actor.user_id)
    await to_card(manager, "deal-won-saved")


async def on_reason(event: Any, widget: Any, manager: DialogManager, reason: str) -> None:
    await deal_for(manager, change=True)
    manager.dialog_data["reason"] = reason
    await manager.switch_to(DealCard.lost_confirm)


async def on_lost(event: Any, widget: Any, manager: DialogManager) -> None:
    session, actor = session_of(manager), actor_of(manager)
    reason = manager.dialog_data.get("reason")
    if not reason:
        await manager.switch_to(DealCard.lost)
        return
    await _write(manager, repo.close_deal(session, actor, deal_id_of(manager), DealStatus.LOST, str(reason)))
    log.info("deal %s lost, user %s", deal_id_of(manager), actor.user_id)
    manager.dialog_data.pop("reason", None)
    await to_card(manager, "deal-lost-saved")


async def on_log(event: Any, widget: Any, manager: DialogManager) -> None:
    deal = await deal_for(manager, change=True)
    manager.dialog_data[NOTICE], manager.dialog_data[SEEN] = None, True
    await manager.start(LogForm.subject, data={"deal_id": deal.id})


async def on_task(event: Any, widget: Any, manager: DialogManager) -> None:
    deal = await deal_for(manager, change=True)
    manager.dialog_data[NOTICE], manager.dialog_data[SEEN] = None, True
    await manager.start(TaskForm.title, data={"entity": "deal", "entity_id": deal.id})


async def on_full(event: Any, widget: Any, manager: DialogManager) -> None:
    """«Показать полностью»: the whole comment in parts, after the same R1c check as the card."""
    deal = await deal_for(manager, change=False)
    if isinstance(event, CallbackQuery) and isinstance(event.message, Message):
        i18n = i18n_of(manager)
        await send_full_text(event.message, i18n, i18n("deal-full-comment", id=deal.id), deal.comment or "")


async def stray(message: Message, widget: Any, manager: DialogManager) -> None:
    """Text sent to a card or a list is not an answer to anything: say so, and leave the card as it is."""
    await tell(manager, "stray-message")
    manager.show_mode = ShowMode.NO_UPDATE


# --- the list -------------------------------------------------------------------------------------------


async def on_filter(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    if item_id not in DEAL_FILTERS:
        raise errors.Gone("no such filter")
    manager.dialog_data["filter"] = item_id
    manager.dialog_data["page"] = 0


async def on_open(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    deal = await deal_for(manager, change=False, deal_id=chosen_id(item_id))
    await manager.start(DealCard.main, data={"deal_id": deal.id})
