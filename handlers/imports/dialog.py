"""The import dialog (``/import``, «📥 Импорт» under /settings, or a table file sent to the bot)."""

from __future__ import annotations

from aiogram.types import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Row, ScrollingGroup

from handlers.imports import actions, getters
from handlers.imports.states import ImportFlow
from handlers.kit.inputs import ERROR_LINE
from handlers.kit.nav import cancel_button
from handlers.kit.steps import text_select, use_buttons
from handlers.kit.text import Raw, Tr, TrPlain


def import_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("import-ask-file", "mb", "rows"),
            MessageInput(actions.on_upload, content_types=ContentType.DOCUMENT),
            cancel_button(),
            use_buttons("import-send-file"),
            getter=getters.upload_getter,
            state=ImportFlow.upload,
        ),
        Window(
            ERROR_LINE,
            Tr("import-mapping", "file", "rows"),
            Raw("lines"),
            Tr("import-mapping-lacking", "lacking", when="lacking"),
            Tr("import-mapping-hint"),
            ScrollingGroup(text_select("columns", actions.on_column, "col"), id="cols", width=1, height=8),
            Button(TrPlain("import-btn-check"), id="check", on_click=actions.on_check),
            Button(TrPlain("import-btn-cancel"), id="cancel", on_click=actions.on_cancel),
            use_buttons("import-use-buttons"),
            getter=getters.mapping_getter,
            state=ImportFlow.mapping,
        ),
        Window(
            Tr("import-ask-field", "header"),
            Column(text_select("fields", actions.on_field, "field")),
            Row(Button(TrPlain("btn-back"), id="back", on_click=actions.to_mapping)),
            use_buttons("import-use-buttons"),
            getter=getters.column_getter,
            state=ImportFlow.column,
        ),
        Window(
            ERROR_LINE,
            Tr("import-preview", "new", "duplicates", "invalid"),
            Raw("samples"),
            Button(
                TrPlain("import-btn-confirm", new="new"),
                id="confirm",
                on_click=actions.on_confirm,
                when="any_new",
            ),
            Button(TrPlain("import-btn-columns"), id="columns", on_click=actions.to_mapping),
            Button(TrPlain("import-btn-cancel"), id="cancel", on_click=actions.on_cancel),
            use_buttons("import-use-buttons"),
            getter=getters.preview_getter,
            state=ImportFlow.preview,
        ),
        on_start=actions.on_start,
    )
