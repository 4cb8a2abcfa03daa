"""The search dialog: the query (a typed step with its rule), then the results, a page at a time; a result
opens its card on top (closing the card comes back to the results)."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Column, Select, SwitchTo
from aiogram_dialog.widgets.kbd.select import OnItemClick
from aiogram_dialog.widgets.text import Format

from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.nav import cancel_button
from handlers.kit.paging import pager
from handlers.kit.steps import NOT_TEXT
from handlers.kit.text import Tr, TrPlain
from handlers.search import actions, getters
from handlers.search.states import Search


def _id(item: tuple[int, str]) -> int:
    return item[0]


def _results(id: str, items: str, on_click: OnItemClick[Any, Any]) -> Select[int]:
    return Select(Format("{item[1]}"), id=id, item_id_getter=_id, items=items, on_click=on_click)


def _has_clients(data: dict[str, Any], *_: Any) -> bool:
    return bool(data["clients_count"])


def search_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("search-ask"),
            DomainInput("query", actions.parse_query, on_success=actions.on_query),
            NOT_TEXT,
            cancel_button(),
            state=Search.query,
        ),
        Window(
            ERROR_LINE,
            Tr("search-results", "query", "total", "page", "pages"),
            Tr("search-clients", count="clients_count", when=_has_clients),
            Tr("search-hint"),
            Column(
                _results("client", "clients", actions.open_client),
                _results("contact", "contacts", actions.open_contact),
                _results("lead", "leads", actions.open_lead),
                _results("deal", "deals", actions.open_deal),
            ),
            pager(),
            SwitchTo(TrPlain("search-btn-again"), id="again", state=Search.query),
            DomainInput("again_query", actions.parse_query, on_success=actions.on_query),
            NOT_TEXT,
            getter=getters.results_getter,
            state=Search.results,
        ),
        on_start=actions.on_start,
    )


def dialogs() -> list[Dialog]:
    return [search_dialog()]
