"""A record's history as text: audit entries rendered in the reader's language and time zone.

The audit table holds creations, edits (field: old → new), stage changes, conversions, route steps,
reassignments, tasks and documents; interactions with the client are shown from their own rows
(:mod:`handlers.records.timeline_page`). An action or a field without a catalog entry shows its code, so a new
kind of entry is never lost. A line of another record than the one whose history is read (a lead's call in its
deal's history, a deal in its contact's) names that record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from bot.i18n import Html, Translator
from db.models import AuditEntry
from domain.money import Money, from_minor
from domain.values import BirthDate, MobilePhone

VALUE_MAX = 120
LABEL_MAX = 40

USER_KEYS = frozenset({"responsible_id", "approver_id", "requester_id", "author_id", "assignee_id"})
REF_KEYS = {
    "stage_id": "stage",
    "client_id": "client",
    "contact_id": "contact",
    "contact_ids": "contact",
    "source_id": "source",
    "product_group_id": "group",
    "industry_id": "industry",
    "region_id": "region",
    "counterparty_id": "counterparty",
    "task_id": "task",
    "team_id": "team",
    **{key: "user" for key in USER_KEYS},
}
# ``lost_reason_id`` / ``reject_reason_id`` are for counting; the entry names the reason itself (``reason``).
HIDDEN = frozenset(
    {"code", "route_id", "interaction_id", "line_id", "document_id", "mime_type"}
    | {"lost_reason_id", "reject_reason_id"}
)
SUBJECT_KEYS = frozenset({"task_id"})  # named even when unchanged: which task was done or moved
NUMBERED = frozenset({"deal_id", "lead_id"})
MISSING = object()


def short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def size_text(i18n: Translator, size: int | None) -> str:
    if size is None:
        return i18n.plain("records-value-none")
    if size < 1024 * 1024:
        return i18n.plain("records-size-kb", size=f"{max(size, 1) / 1024:.1f}".replace(".", ","))
    return i18n.plain("records-size-mb", size=f"{size / (1024 * 1024):.1f}".replace(".", ","))


def values_of(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        loaded = json.loads(raw)
    except ValueError:
        return {"value": raw}
    return loaded if isinstance(loaded, dict) else {"value": loaded}


@dataclass(frozen=True)
class Change:
    key: str
    before: Any  # MISSING: the key only names a value (creation, or a value with nothing before it)
    after: Any


def changes_of(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    has_stage_id = "stage_id" in before or "stage_id" in after
    keys = [*after, *(key for key in before if key not in after)]
    out: list[Change] = []
    for key in keys:
        if key in HIDDEN or (key == "stage" and has_stage_id):
            continue
        old, new = before.get(key, MISSING), after.get(key, MISSING)
        if old == new:
            if key in SUBJECT_KEYS and new is not None:
                out.append(Change(key, MISSING, new))
        elif old is MISSING:
            if new is not None:
                out.append(Change(key, MISSING, new))
        else:
            out.append(Change(key, old, None if new is MISSING else new))
    return out


def wanted_names(entries: list[tuple[AuditEntry, str | None]]) -> dict[str, set[int]]:
    """The ids the entries refer to, by kind, so their names are read in one query per kind."""
    wanted: dict[str, set[int]] = {}
    for entry, _author in entries:
        for values in (values_of(entry.before), values_of(entry.after)):
            for key, value in values.items():
                kind = REF_KEYS.get(key)
                items = value if isinstance(value, list) else [value]
                for item in items:
                    if kind and isinstance(item, int) and not isinstance(item, bool):
                        wanted.setdefault(kind, set()).add(item)
    return wanted


class Renderer:
    """Turns audit entries into lines of the timeline, in the reader's language and time zone."""

    def __init__(
        self,
        i18n: Translator,
        tz: tzinfo,
        entity: str,
        looked_up: dict[str, dict[int, str]],
        entity_id: int | None = None,
    ) -> None:
        self.i18n = i18n
        self.tz = tz
        self.entity = entity
        self.entity_id = entity_id
        self.looked_up = looked_up

    def at(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).strftime("%d.%m.%Y %H:%M")

    def header(self, moment: datetime, author: str | None, action: str, entity: str, entity_id: int) -> str:
        """The first lines of an entry: when, who, what; and on which lead or deal when it is another record
        than the one whose history this is."""
        params: dict[str, Any] = {
            "at": self.at(moment),
            "who": author or self.i18n.plain("records-author-system"),
            "action": Html(action),
        }
        other = self.entity_id is not None and (entity, entity_id) != (self.entity, self.entity_id)
        if other and entity in ("lead", "deal"):
            subject = self.i18n(f"records-card-{entity}", name=str(entity_id))
            return self.i18n("records-history-entry-on", subject=Html(subject), **params)
        return self.i18n("records-history-entry", **params)

    def action(self, entry: AuditEntry) -> str:
        for key in (f"records-action-{entry.action}-{entry.entity}", f"records-action-{entry.action}"):
            if self.i18n.has(key):
                return self.i18n(key)
        return self.i18n("records-action-unknown", code=entry.action)

    def label(self, key: str) -> str:
        name = f"records-field-{key}"
        return self.i18n(name) if self.i18n.has(name) else key

    def _when(self, value: str) -> str:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        if parsed.tzinfo is None:
            return parsed.strftime("%d.%m.%Y %H:%M")
        return parsed.astimezone(self.tz).strftime("%d.%m.%Y %H:%M")

    def _localized(self, prefix: str, value: Any) -> str:
        key = f"{prefix}-{value}"
        return self.i18n.plain(key) if self.i18n.has(key) else str(value)

    def _reference(self, key: str, kind: str, value: int, values: dict[str, Any]) -> str:
        name = self.looked_up.get(kind, {}).get(value)
        if name is None and key == "stage_id" and isinstance(values.get("stage"), str):
            name = values["stage"]
        if kind == "task" and name is not None:
            return self.i18n.plain("records-value-task", title=short(name, VALUE_MAX))
        return name if name is not None else f"#{value}"

    def value(self, key: str, value: Any, values: dict[str, Any], entity: str | None = None) -> str:
        """A plain-text rendering of one value of a record of kind ``entity`` (by default the one whose
        history this is); the translator escapes it when it goes into a message."""
        entity = entity or self.entity
        if value is None or value is MISSING:
            return self.i18n.plain("records-value-none")
        if isinstance(value, list):
            shown = ", ".join(self.value(key, item, values, entity) for item in value)
            return shown or self.i18n.plain("records-value-none")
        if isinstance(value, bool):
            return self.i18n.plain("records-value-yes" if value else "records-value-no")
        kind = REF_KEYS.get(key)
        if kind and isinstance(value, int):
            return self._reference(key, kind, value, values)
        if key in NUMBERED:
            return f"№{value}"
        if key == "status":
            prefix = {"lead": "lead-status", "deal": "deal-status"}.get(entity, "records-status")
            return self._localized(prefix, value)
        if key == "kind":
            return self._localized("clients-kind" if entity == "counterparty" else "kind", value)
        if key in ("outcome", "media"):
            return self._localized("outcome" if key == "outcome" else "records-media", value)
        if key == "file_size" and isinstance(value, int):
            return size_text(self.i18n, value)
        if key == "amount_minor" and isinstance(value, int):
            return Money(from_minor(value)).display()
        if key == "birth_date" and isinstance(value, str):
            try:
                return BirthDate(date.fromisoformat(value)).display()
            except ValueError:
                return value
        if key == "phone" and isinstance(value, str):
            try:
                return MobilePhone(value).display()
            except Exception:  # an old or odd value still shows as stored
                return value
        if key.endswith("_at") and isinstance(value, str):
            return self._when(value)
        return str(value)

    def entry(self, entry: AuditEntry, author: str | None, details: int) -> str:
        before, after = values_of(entry.before), values_of(entry.after)
        lines = [self.header(entry.at, author, self.action(entry), entry.entity, entry.entity_id)]
        changes = changes_of(before, after)
        for change in changes[:details]:
            field = self.label(change.key)
            new = short(self.value(change.key, change.after, after, entry.entity), VALUE_MAX)
            if change.before is MISSING:
                lines.append(self.i18n("records-history-value", field=field, value=new))
            else:
                old = short(self.value(change.key, change.before, before, entry.entity), VALUE_MAX)
                lines.append(self.i18n("records-history-change", field=field, before=old, after=new))
        if len(changes) > details:
            lines.append(self.i18n("records-history-more", count=len(changes) - details))
        return "\n".join(lines)
