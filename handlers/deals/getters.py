"""Read-only data of the deal windows: the form's steps and summary, the card (R2e–R2h) and the list.

User data goes in as it is: ``Tr`` and the translator escape it. A card or summary built from several
catalog lines is passed as ``Html``.
"""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.i18n import Html, Translator
from db.models import Deal, User
from db.repo import deal_changes as repo_changes
from db.repo import deal_lists, directories, users
from db.repo import deals as repo
from db.repo.directories import Kind
from db.repo.visibility import may_act, team_of
from domain import limits
from domain.access import Actor, Role
from domain.values import short_name
from handlers.deals.actions import EXISTING, read_form, start_of
from handlers.deals.card_view import (
    CARD_ROWS,
    deal_for,
    list_icon,
    load_card,
    lost_reason_label,
    now,
    zone,
)
from handlers.deals.choices import QUERY, group_items, matching, product_items
from handlers.deals.fields import FIELDS, lines_text, may_assign, money, stage_label
from handlers.kit import reasons
from handlers.kit.context import actor_of, i18n_of, session_of, settings_of
from handlers.kit.paging import page_of

LABEL_MAX = 40


def _short(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mark(chosen: bool) -> str:
    return "✓ " if chosen else ""


# --- the form -------------------------------------------------------------------------------------------


async def step_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """What every step shows: whose deal it is, and whether a blocking open deal may be opened (R2i)."""
    form = read_form(dialog_manager)
    return {
        "contact": form.get("contact") or "",
        "existing": bool(dialog_manager.dialog_data.get(EXISTING)),
        "has_lines": bool(form.get("lines")),
        "query": dialog_manager.dialog_data.get(QUERY) or "",
    }


async def group_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    form = read_form(dialog_manager)
    items = await group_items(dialog_manager, form.get("group_id"))
    chosen = form.get("group_id")
    found = matching(items, dialog_manager.dialog_data.get(QUERY))
    return {"groups": [(item_id, _mark(item_id == chosen) + _short(name)) for item_id, name in found]}


async def product_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    form = read_form(dialog_manager)
    items = await product_items(dialog_manager, form.get("group_id"))
    found = matching(items, dialog_manager.dialog_data.get(QUERY))
    lines = [] if form.get("replace_lines") else list(form.get("lines") or [])
    return {
        "products": [(item_id, _short(name)) for item_id, name in found],
        "lines": await lines_text(dialog_manager, lines),
    }


async def amount_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    product_id = read_form(dialog_manager).get("product_id") or dialog_manager.dialog_data.get("product_id")
    product = (
        await directories.get_product(session_of(dialog_manager), int(product_id)) if product_id else None
    )
    return {"product": product.label if product else ""}


async def stage_items(dialog_manager: DialogManager, current: int | None) -> list[tuple[int, str]]:
    i18n = i18n_of(dialog_manager)
    stages = await directories.open_stages(session_of(dialog_manager))
    return [(stage.id, _mark(stage.id == current) + _short(stage_label(i18n, stage))) for stage in stages]


async def stage_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"stages": await stage_items(dialog_manager, read_form(dialog_manager).get("stage_id"))}


async def comment_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"current": read_form(dialog_manager).get("comment") or ""}


async def responsible_options(
    dialog_manager: DialogManager, actor: Actor, lead_responsible_id: int
) -> list[User]:
    """Who a team lead or an admin may make responsible: the lead owner's team, as far as R1c allows."""
    session = session_of(dialog_manager)
    members = await repo.team_members(session, await team_of(session, lead_responsible_id))
    allowed = [member for member in members if await may_act(session, actor, member.id)]
    if not any(member.id == lead_responsible_id for member in allowed):
        owner = await users.get_user(session, lead_responsible_id)
        if owner is not None:
            allowed.insert(0, owner)
    return allowed


async def responsible_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    form = read_form(dialog_manager)
    lead = await repo.get_lead(session_of(dialog_manager), int(form["lead_id"]))
    owner = lead.responsible_id if lead else actor_of(dialog_manager).user_id
    members = await responsible_options(dialog_manager, actor_of(dialog_manager), owner)
    chosen = form.get("responsible_id")
    return {
        "people": [
            (member.id, _mark(member.id == chosen) + _short(member.full_name or str(member.id)))
            for member in members
        ]
    }


async def summary_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """Every field of the list in ``fields``, with a «✏️» button for each one this user may change."""
    i18n, form = i18n_of(dialog_manager), read_form(dialog_manager)
    rows = [
        i18n(
            "deal-summary-row",
            field=i18n(f"deal-field-{field.name}"),
            value=Html(await field.show(dialog_manager, form)),
        )
        for field in FIELDS
    ]
    return {
        "contact": form.get("contact") or "",
        "rows": Html("\n".join(rows)),
        "fields": [
            (field.name, i18n.plain(f"deal-btn-edit-{field.name}"))
            for field in FIELDS
            if field.editable(dialog_manager)
        ],
        "existing": bool(dialog_manager.dialog_data.get(EXISTING)),
    }


# --- the card -------------------------------------------------------------------------------------------


async def card_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The card (R2e–R2h); a deal this user may not see (a forged or stale id) is refused."""
    start = start_of(dialog_manager)
    i18n = i18n_of(dialog_manager)
    deal = await deal_for(dialog_manager, change=False)
    view = await load_card(dialog_manager, deal)
    rows = [row for make in CARD_ROWS for row in make(i18n, view)]
    notice = dialog_manager.dialog_data.get("notice")
    # R2f: each missing item of an incorrect open deal has its own button to the window that fixes it.
    missing = set(view.state.problems) if view.is_open else set()
    return {
        "fix_lines": "product_lines" in missing,
        "fix_comment": "comment" in missing,
        "fix_group": "product_group" in missing,
        "fix_stage": "stage" in missing,
        "saved": bool(start.get("saved")) and not dialog_manager.dialog_data.get("seen"),
        "notice": notice,
        "id": str(deal.id),
        "rows": Html("\n".join(rows)),
        "open": view.is_open,
        "clipped": view.comment_clipped,
    }


async def card_stage_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    deal = await deal_for(dialog_manager, change=True)
    return {
        "stage": stage_label(i18n_of(dialog_manager), deal.stage),
        "stages": await stage_items(dialog_manager, deal.stage_id),
    }


async def card_product_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    deal = await deal_for(dialog_manager, change=True)
    items = await product_items(dialog_manager, deal.product_group_id)
    found = matching(items, dialog_manager.dialog_data.get(QUERY))
    return {"products": [(item_id, _short(name)) for item_id, name in found]}


async def edit_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The edit of an open deal: a button per line (its amount, or removed); the responsible for a team lead
    or an admin only (R1c, R2c)."""
    deal = await deal_for(dialog_manager, change=True)
    i18n = i18n_of(dialog_manager)
    names = await directories.product_names(
        session_of(dialog_manager), [line.product_id for line in deal.lines]
    )
    return {
        "id": str(deal.id),
        "lines": [
            (
                line.id,
                i18n.plain(
                    "deal-edit-line-label",
                    product=_short(names.get(line.product_id, "?"), 28),
                    amount=money(line.amount_minor),
                ),
            )
            for line in deal.lines
        ],
        "may_assign": may_assign(actor_of(dialog_manager)),
    }


async def card_comment_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    deal = await deal_for(dialog_manager, change=True)
    return {"current": deal.comment or ""}


async def card_group_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    deal = await deal_for(dialog_manager, change=True)
    items = await group_items(dialog_manager, deal.product_group_id)
    return {
        "groups": [
            (item_id, _mark(item_id == deal.product_group_id) + _short(name)) for item_id, name in items
        ],
        "existing": bool(dialog_manager.dialog_data.get(EXISTING)),
    }


async def group_confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The lines the new group drops, named before the change is confirmed."""
    deal = await deal_for(dialog_manager, change=True)
    session = session_of(dialog_manager)
    group_id = dialog_manager.dialog_data.get("group_id")
    group = await directories.get_group(session, int(group_id)) if group_id else None
    dropped = await repo_changes.lines_outside(session, deal, group.id) if group else []
    lines = [[line.product_id, line.amount_minor] for line in dropped]
    return {
        "group": group.label if group else "",
        "lines": await lines_text(dialog_manager, lines),
        "all": len(dropped) == len(deal.lines),
    }


async def line_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    deal = await deal_for(dialog_manager, change=True)
    line_id = dialog_manager.dialog_data.get("line_id")
    lines = [[line.product_id, line.amount_minor] for line in deal.lines if line.id == line_id]
    return {"line": await lines_text(dialog_manager, lines)}


async def card_responsible_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    deal = await deal_for(dialog_manager, change=True)
    members = await responsible_options(dialog_manager, actor_of(dialog_manager), deal.responsible_id)
    return {
        "people": [
            (member.id, _mark(member.id == deal.responsible_id) + _short(member.full_name or str(member.id)))
            for member in members
        ]
    }


async def won_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    deal = await deal_for(dialog_manager, change=True)
    return {"id": str(deal.id)}


async def lost_reasons_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """R2a: the active reasons of «Причины проигрыша», one button each."""
    deal = await deal_for(dialog_manager, change=True)
    items = await reasons.reason_buttons(dialog_manager, Kind.LOST)
    return {"id": str(deal.id), "reasons": items, "no_reasons": not items}


async def lost_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The chosen reason with its text, on the text step and the confirmation."""
    deal = await deal_for(dialog_manager, change=True)
    return {
        "id": str(deal.id),
        **await reasons.shown_reason(dialog_manager, Kind.LOST),
        "min": limits.REASON_MIN,
        "max": limits.REASON,
    }


# --- the list -------------------------------------------------------------------------------------------

CLOSED_ICONS = {"won": "🏆", "lost": "✖️"}
Listed = deal_lists.DealsPage[Any]


def _scope(actor: Actor) -> str:
    """Whose deals the list holds (R1c, ``owner_filter``): «own», the team's, or «all» of them."""
    if actor.role == Role.ADMIN:
        return "all"
    if actor.role == Role.TEAM_LEAD and actor.team_id is not None:
        return "team"
    return "own"


def _label(icon: str, deal: Deal, owner: str | None) -> str:
    """A deal's button: the icon, «№id», the contact, and the owner's short name on a team's list."""
    label = f"{icon} №{deal.id} {_short(deal.contact.full_name, 22 if owner else 30)}"
    return f"{label} · {owner}" if owner else label


async def _owners(dialog_manager: DialogManager, deals: list[Deal]) -> dict[int, str]:
    """The owners' short names («Петров П.») when the list holds more than the reader's own deals."""
    if _scope(actor_of(dialog_manager)) == "own":
        return {}
    names = await users.user_names(session_of(dialog_manager), [deal.responsible_id for deal in deals])
    return {user_id: _short(short_name(name), 18) for user_id, name in names.items()}


def _owner_text(i18n: Translator, owners: dict[int, str], deal: Deal) -> Html:
    owner = owners.get(deal.responsible_id)
    return Html(i18n("deal-list-owner", owner=owner) if owner else "")


async def _open_page(
    dialog_manager: DialogManager, flt: str
) -> tuple[Listed, list[str], list[tuple[int, str]]]:
    """R2e–R2h: open deals, most urgent first (at risk is ``domain.deals.is_at_risk``)."""
    i18n, settings = i18n_of(dialog_manager), settings_of(dialog_manager)
    listing = await deal_lists.list_deals(
        session_of(dialog_manager),
        actor_of(dialog_manager),
        flt,
        page_of(dialog_manager),
        now=now(),
        period_months=settings.inactivity_period,
        policy=settings.comment_policy,
        tz=zone(dialog_manager),
        at_risk_days=settings.at_risk_days,
    )
    owners = await _owners(dialog_manager, [item.deal for item in listing.rows])
    rows, buttons = [], []
    for item in listing.rows:
        icon = list_icon(item.state, settings.at_risk_days)
        rows.append(
            i18n(
                "deal-list-item",
                icon=icon,
                id=str(item.deal.id),
                contact=item.deal.contact.full_name,
                group=item.group_name,
                stage=stage_label(i18n, item.deal.stage),
                days=item.state.days_left if item.state.days_left is not None else 0,
                amount=money(deal_lists.amount_of(item.deal)),
                owner=_owner_text(i18n, owners, item.deal),
            )
        )
        buttons.append((item.deal.id, _label(icon, item.deal, owners.get(item.deal.responsible_id))))
    return listing, rows, buttons


async def _closed_page(
    dialog_manager: DialogManager, status: str
) -> tuple[Listed, list[str], list[tuple[int, str]]]:
    """Won or lost deals, latest closed first: the close day in the reader's zone, a lost deal's reason."""
    i18n, tz = i18n_of(dialog_manager), zone(dialog_manager)
    listing = await deal_lists.list_closed(
        session_of(dialog_manager), actor_of(dialog_manager), status, page_of(dialog_manager)
    )
    owners = await _owners(dialog_manager, [item.deal for item in listing.rows])
    rows, buttons = [], []
    for item in listing.rows:
        deal = item.deal
        rows.append(
            i18n(
                f"deal-list-item-{status}",
                id=str(deal.id),
                contact=deal.contact.full_name,
                group=item.group_name,
                amount=money(deal_lists.amount_of(deal)),
                closed=deal.closed_at.astimezone(tz).strftime("%d.%m.%Y") if deal.closed_at else "—",
                reason=lost_reason_label(deal, i18n, limits.LINE_TEXT),
                owner=_owner_text(i18n, owners, deal),
            )
        )
        buttons.append((deal.id, _label(CLOSED_ICONS[status], deal, owners.get(deal.responsible_id))))
    return listing, rows, buttons


async def list_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The deals this user sees (R1c) under a filter, a page at a time, titled by whose they are, with the
    count and the amount of the whole filter over every page."""
    i18n = i18n_of(dialog_manager)
    flt = str(dialog_manager.dialog_data.get("filter") or "all")
    if flt in deal_lists.CLOSED_FILTERS:
        listing, rows, buttons = await _closed_page(dialog_manager, flt)
    else:
        listing, rows, buttons = await _open_page(dialog_manager, flt)
    if rows:
        rows.append(i18n("deal-list-total", count=listing.count, amount=money(listing.amount_minor)))
    return {
        "scope": _scope(actor_of(dialog_manager)),
        "filter": i18n(f"deal-filter-{flt}"),
        "items": Html("\n".join(rows)) if rows else Html(i18n("deal-list-empty")),
        "deals": buttons,
        "filters": [
            (code, ("• " if code == flt else "") + i18n.plain(f"deal-filter-{code}"))
            for code in deal_lists.DEAL_FILTERS
        ],
        "has_prev": page_of(dialog_manager) > 0,
        "has_next": listing.has_next,
    }
