"""Read-only data of the import windows."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.i18n import Html, escape
from bot.import_report import result_text
from domain.import_columns import Field, column_letter
from handlers.imports.actions import COLUMN, FILE, PREVIEW, fields_of, missing
from handlers.kit.context import i18n_of

LABEL_MAX = 24


def _clip(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_label(dialog_manager: DialogManager, field: Field | None) -> str:
    return i18n_of(dialog_manager).plain(f"import-field-{field.value}" if field else "import-field-none")


async def upload_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    settings = dialog_manager.middleware_data["settings"]
    return {"mb": settings.import_max_mb, "rows": settings.import_max_rows}


async def mapping_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    info = dialog_manager.dialog_data.get(FILE) or {}
    headers: list[str] = info.get("headers") or []
    samples: list[str] = info.get("samples") or []
    fields = fields_of(dialog_manager)
    i18n = i18n_of(dialog_manager)
    lines = [
        i18n(
            "import-mapping-line-sample"
            if index < len(samples) and samples[index]
            else "import-mapping-line",
            letter=column_letter(index + 1),
            header=_clip(header, 40),
            field=_field_label(dialog_manager, field),
            sample=samples[index] if index < len(samples) else "",
        )
        for index, (header, field) in enumerate(zip(headers, fields, strict=False))
    ]
    lacking = missing(fields)
    return {
        "file": info.get("name", ""),
        "rows": info.get("rows", 0),
        "lines": Html("\n".join(lines)),
        "lacking": ", ".join(i18n.plain(f"import-required-{name}") for name in lacking) if lacking else None,
        "columns": [
            (
                str(index),
                f"{column_letter(index + 1)} · {_clip(header)} → {_field_label(dialog_manager, field)}",
            )
            for index, (header, field) in enumerate(zip(headers, fields, strict=False))
        ],
    }


async def column_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    info = dialog_manager.dialog_data.get(FILE) or {}
    headers: list[str] = info.get("headers") or []
    column = dialog_manager.dialog_data.get(COLUMN)
    header = headers[column] if isinstance(column, int) and column < len(headers) else ""
    choices = [(field.value, _field_label(dialog_manager, field)) for field in Field]
    return {"header": header, "fields": [*choices, ("none", _field_label(dialog_manager, None))]}


async def preview_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    data = dialog_manager.dialog_data.get(PREVIEW) or {}
    samples: dict[str, list[list[Any]]] = data.get("samples") or {}
    blocks = []
    for kind in ("new", "duplicate", "invalid"):
        rows = samples.get(kind) or []
        if not rows:
            continue
        blocks.append(i18n(f"import-preview-{kind}-head"))
        for row_no, name, key, params in rows:
            reason = escape(result_text(i18n, kind, {"key": key, "params": params})) if key else Html("")
            key_row = "import-preview-row-reason" if reason else "import-preview-row"
            blocks.append(i18n(key_row, row=row_no, name=_clip(str(name), 40), reason=reason))
    return {
        "new": data.get("new", 0),
        "duplicates": data.get("duplicates", 0),
        "invalid": data.get("invalid", 0),
        "samples": Html("\n".join(blocks)),
        "any_new": bool(data.get("new")),
    }
