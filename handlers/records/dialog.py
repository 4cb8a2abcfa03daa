"""The history and documents of a record: a sub-dialog of every card («Назад к карточке» returns to it)."""

from __future__ import annotations

from typing import Any

from aiogram.types import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Row, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from handlers.kit.inputs import ERROR_LINE
from handlers.kit.paging import pager
from handlers.kit.steps import use_buttons
from handlers.kit.text import Raw, Tr, TrPlain
from handlers.records import actions, getters
from handlers.records.states import Records

FILES = MessageInput(
    actions.on_file_here, content_types=[ContentType.DOCUMENT, ContentType.PHOTO, ContentType.VOICE]
)


def _to_card() -> Button:
    return Button(TrPlain("records-btn-to-card"), id="to_card", on_click=actions.back_to_card)


def _id(item: tuple[int, str]) -> int:
    return item[0]


def _has_documents(data: dict[str, Any], *_: Any) -> bool:
    return bool(data["total"])


def _no_documents(data: dict[str, Any], *_: Any) -> bool:
    return not data["total"]


def records_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Raw("history"),
            pager(),
            _to_card(),
            FILES,
            use_buttons("records-use-buttons"),
            getter=getters.history_getter,
            state=Records.history,
        ),
        Window(
            ERROR_LINE,
            Tr("records-documents-title", "card"),
            Tr("records-page", "page", "pages", when=_has_documents),
            Raw("items", when=_has_documents),
            Tr("records-documents-empty", when=_no_documents),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="document",
                    item_id_getter=_id,
                    items="documents",
                    on_click=actions.on_document,
                )
            ),
            pager(),
            Row(
                SwitchTo(TrPlain("records-btn-attach"), id="attach", state=Records.attach),
                _to_card(),
            ),
            FILES,
            use_buttons("records-use-buttons"),
            getter=getters.documents_getter,
            state=Records.documents,
        ),
        Window(
            ERROR_LINE,
            Tr("records-ask-file", "card"),
            Row(SwitchTo(TrPlain("btn-cancel"), id="cancel", state=Records.documents)),
            FILES,
            MessageInput(actions.on_not_file, content_types=ContentType.ANY),
            getter=getters.attach_getter,
            state=Records.attach,
        ),
    )


def dialogs() -> list[Dialog]:
    return [records_dialog()]
