"""What the deal card's buttons do: a new stage, a product line, won and lost (each confirmed, lost with its
reason from the directory and an optional text, R2a), a call logged or a task set on the deal, the edit of
an open deal (the comment, R3; the lines, R2f; the group, R2i; the responsible, R1c/R2c), and the list's
filters.

R1c: every button re-checks the presser's rights (``deal_for``), and the repository checks them again inside
the write, where a won or lost deal refuses any change.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode

from bot.cards import send_full_text
from db.models import Deal, DealLine
from db.repo import deal_changes as repo
from db.repo import directories
from db.repo.deal_lists import DEAL_FILTERS
from db.repo.deals import DuplicateDeal, open_deal_of_party
from db.repo.directories import Kind
from db.repo.outcome_reasons import ReasonGone
from domain import errors
from domain.deals import DealStatus
from handlers.deals.actions import EXISTING, show_duplicate
from handlers.deals.card_view import DealIsClosed, deal_for, deal_id_of
from handlers.deals.choices import QUERY, chosen_id, matching, product_items
from handlers.deals.fields import may_assign
from handlers.deals.states import DealCard
from handlers.interactions.states import LogForm
from handlers.kit import reasons
from handlers.kit.cards import track_card
from handlers.kit.context import actor_of, i18n_of, session_of, settings_of
from handlers.kit.inputs import clear_error, set_error
from handlers.kit.steps import tell
from handlers.tasks.states import TaskForm

log = logging.getLogger(__name__)

NOTICE = "notice"
#: Set once the card was acted on: «Сделка сохранена» is shown only on the card the form ended with.
SEEN = "seen"
WINDOWS = {"stage": DealCard.stage, "product": DealCard.product, "won": DealCard.won, "lost": DealCard.lost}
#: The line chosen in the edit window (its amount changed or removed), and the group waiting for «✅».
LINE, GROUP = "line_id", "group_id"
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
    for key in (QUERY, LINE, GROUP, EXISTING, reasons.REASON_ID, reasons.REASON_TEXT):
        manager.dialog_data.pop(key, None)
    clear_error(manager)
    await manager.switch_to(DealCard.main)


async def on_back(event: Any, widget: Any, manager: DialogManager) -> None:
    await to_card(manager)


def _opener(window: Any) -> Any:
    async def on_click(event: Any, widget: Any, manager: DialogManager) -> None:
        await deal_for(manager, change=True)
        manager.dialog_data[NOTICE] = None
        manager.dialog_data[SEEN] = True
        for key in (LINE, GROUP, EXISTING):
            manager.dialog_data.pop(key, None)
        clear_error(manager)
        await manager.switch_to(window)

    return on_click


open_stage = _opener(DealCard.stage)
open_product = _opener(DealCard.product)
open_won = _opener(DealCard.won)
open_lost = _opener(DealCard.lost)
#: «✏️ Изменить» and the edit window's buttons; on an incorrect card, the missing field's own button.
open_edit = _opener(DealCard.edit)
open_comment = _opener(DealCard.comment)
open_group = _opener(DealCard.group)
_open_responsible = _opener(DealCard.responsible)


async def open_responsible(event: Any, widget: Any, manager: DialogManager) -> None:
    """R1c, R2c: only a team lead or an admin hands a deal over."""
    if not may_assign(actor_of(manager)):
        raise errors.NotAllowed("only a team lead or an admin reassigns a deal")
    await _open_responsible(event, widget, manager)


async def _write(manager: DialogManager, change: Any) -> None:
    """Run a repository change; a deal closed meanwhile gives the deal's own answer."""
    try:
        await change
    except repo.DealClosed:
        raise DealIsClosed("deal is closed") from None
    except errors.ValidationError:
        raise
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
    """The amount of a product just picked (a new line), or of the line chosen in the edit window."""
    session, actor = session_of(manager), actor_of(manager)
    line_id = manager.dialog_data.get(LINE)
    if line_id:
        await _write(
            manager, repo.change_line_amount(session, actor, deal_id_of(manager), int(line_id), minor)
        )
        await to_card(manager, "deal-line-changed")
        return
    product_id = manager.dialog_data.get("product_id")
    if not product_id:
        raise errors.Gone("no product chosen")
    await _write(manager, repo.add_line(session, actor, deal_id_of(manager), int(product_id), minor))
    await to_card(manager, "deal-line-added")


# --- the edit («✏️ Изменить») ---------------------------------------------------------------------------


def line_of(deal: Deal, line_id: object) -> DealLine:
    """A line of this deal, or the press is refused as out of date (a forged or removed line)."""
    for line in deal.lines:
        if line.id == line_id:
            return line
    raise errors.Gone("not a line of this deal")


async def on_comment(event: Any, widget: Any, manager: DialogManager, text: str) -> None:
    """R3: the comment was judged by ``actions.parse_comment``; the write judges it again."""
    session, actor = session_of(manager), actor_of(manager)
    policy = settings_of(manager).comment_policy
    try:
        await _write(manager, repo.edit_comment(session, actor, deal_id_of(manager), text, policy))
    except errors.ValidationError as refusal:
        set_error(manager, refusal.key, **refusal.params)
        return
    await to_card(manager, "deal-comment-changed")


async def on_line(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    deal = await deal_for(manager, change=True)
    line = line_of(deal, chosen_id(item_id))
    manager.dialog_data[LINE] = line.id
    manager.dialog_data["product_id"] = line.product_id
    await manager.switch_to(DealCard.line)


async def open_line_amount(event: Any, widget: Any, manager: DialogManager) -> None:
    deal = await deal_for(manager, change=True)
    line_of(deal, manager.dialog_data.get(LINE))
    await manager.switch_to(DealCard.amount)


async def on_remove_line(event: Any, widget: Any, manager: DialogManager) -> None:
    """R2f: the last line is refused with its reason (``repo.LastLine``), nothing removed."""
    deal = await deal_for(manager, change=True)
    line = line_of(deal, manager.dialog_data.get(LINE))
    await _write(manager, repo.remove_line(session_of(manager), actor_of(manager), deal.id, line.id))
    await to_card(manager, "deal-line-removed")


async def on_group(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """R2i first (the blocking deal is named); lines outside the new group are confirmed before they go."""
    deal, session = await deal_for(manager, change=True), session_of(manager)
    group = await directories.get_group(session, chosen_id(item_id))
    if group is None or not group.is_active:
        raise errors.Gone("product group switched off")
    if group.id == deal.product_group_id:
        await to_card(manager)
        return
    existing = await open_deal_of_party(session, deal.party_key, group.id)
    if existing is not None and existing.id != deal.id:
        await show_duplicate(manager, existing.id)
        return
    if await repo.lines_outside(session, deal, group.id):
        manager.dialog_data[GROUP] = group.id
        await manager.switch_to(DealCard.group_confirm)
        return
    await _change_group(manager, group.id)


async def on_group_confirm(event: Any, widget: Any, manager: DialogManager) -> None:
    group_id = manager.dialog_data.get(GROUP)
    if not group_id:
        raise errors.Gone("no group waiting")
    await _change_group(manager, int(group_id))


async def _change_group(manager: DialogManager, group_id: int) -> None:
    """The write re-checks R1c, the open status and R2i; a deal left without lines says what it needs."""
    session, actor = session_of(manager), actor_of(manager)
    try:
        await _write(manager, repo.change_group(session, actor, deal_id_of(manager), group_id))
    except DuplicateDeal as duplicate:
        await manager.switch_to(DealCard.group)
        await show_duplicate(manager, duplicate.existing_id)
        return
    deal = await deal_for(manager, change=False)
    await to_card(manager, "deal-group-changed" if deal.lines else "deal-group-changed-add-line")


async def open_existing(event: Any, widget: Any, manager: DialogManager) -> None:
    """R2i: the open deal that blocks the new group, when the user may see it."""
    existing = manager.dialog_data.get(EXISTING)
    if existing:
        await manager.start(DealCard.main, data={"deal_id": int(existing)})


async def on_responsible(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """R1c, R2c: checked again inside the write; the old and the new responsible are told."""
    session, actor = session_of(manager), actor_of(manager)
    if not may_assign(actor):
        raise errors.NotAllowed("only a team lead or an admin reassigns a deal")
    await _write(manager, repo.reassign(session, actor, deal_id_of(manager), chosen_id(item_id)))
    log.info("deal %s reassigned by user %s", deal_id_of(manager), actor.user_id)
    await to_card(manager, "deal-responsible-changed")


async def on_won(event: Any, widget: Any, manager: DialogManager) -> None:
    session, actor = session_of(manager), actor_of(manager)
    await _write(manager, repo.close_deal(session, actor, deal_id_of(manager), DealStatus.WON))
    log.info("deal %s won, user %s", deal_id_of(manager), actor.user_id)
    await to_card(manager, "deal-won-saved")


async def on_lost_reason(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """R2a: the reason first (required); a forged or switched-off one is refused on the window."""
    await deal_for(manager, change=True)
    if await reasons.choose_reason(manager, Kind.LOST, item_id):
        await manager.switch_to(DealCard.lost_text)


async def on_reason(event: Any, widget: Any, manager: DialogManager, text: str) -> None:
    """The optional text next to the reason, judged by ``actions.parse_reason``."""
    await deal_for(manager, change=True)
    manager.dialog_data[reasons.REASON_TEXT] = text
    await manager.switch_to(DealCard.lost_confirm)


async def skip_lost_text(event: Any, widget: Any, manager: DialogManager) -> None:
    await deal_for(manager, change=True)
    manager.dialog_data.pop(reasons.REASON_TEXT, None)
    await manager.switch_to(DealCard.lost_confirm)


async def on_lost(event: Any, widget: Any, manager: DialogManager) -> None:
    """Confirmed: the reason is taken again inside the write; one switched off meanwhile is asked again."""
    session, actor = session_of(manager), actor_of(manager)
    reason_id = reasons.chosen_id(manager)
    if reason_id is None:
        await manager.switch_to(DealCard.lost)
        return
    close = repo.close_deal(
        session,
        actor,
        deal_id_of(manager),
        DealStatus.LOST,
        reason_id=reason_id,
        text=reasons.chosen_text(manager),
    )
    try:
        await _write(manager, close)
    except ReasonGone as gone:
        await manager.switch_to(DealCard.lost)
        reasons.refuse(manager, gone)
        return
    log.info("deal %s lost, user %s", deal_id_of(manager), actor.user_id)
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
