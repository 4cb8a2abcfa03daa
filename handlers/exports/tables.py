"""The exports' sheets: the columns of each list (headers from the catalog) and its rows as typed cells.

Phones, e-mails and birth dates of a contact the reader may not see are masked exactly as on screen (R5b):
``MobilePhone.masked``, ``Email.masked``, ``BirthDate.masked``. Moments are on the reader's clock, without a
time zone; sums are numbers in roubles, days are dates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.settings import Settings
from bot.spreadsheets import DAY, MOMENT, MONEY, Cell, Column
from db.repo import exports
from db.repo.exports import ExportedClient, ExportedContact, ExportedDeal, ExportedInteraction, ExportedLead
from domain.access import Actor
from domain.values import BirthDate, Email, MobilePhone

KINDS = ("contacts", "clients", "leads", "deals", "interactions")
Row = list[Cell]


@dataclass(frozen=True)
class Sheet:
    """An export's title, columns and rows, a batch of rows at a time."""

    title: str
    columns: list[Column]
    batches: AsyncIterator[list[Row]]


def moment(value: datetime | None, tz: tzinfo) -> datetime | None:
    """A stored moment on the reader's clock, without a time zone (XLSX has none)."""
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(tz).replace(tzinfo=None)


def _person(person: ExportedContact) -> Row:
    """Phone, birth date and e-mail: the stored values (the phone in E.164, ready for another system), or
    masked as R5b masks them on screen."""
    contact = person.contact
    if person.visible:
        return [contact.phone, contact.birth_date, contact.email]
    return [
        MobilePhone(contact.phone).masked(),
        BirthDate(contact.birth_date).masked(),
        Email(contact.email).masked(),
    ]


def _persons_text(persons: Sequence[ExportedContact]) -> str:
    """A client's contact persons as its card lists them: «name, phone, e-mail», masked unless visible."""
    lines = []
    for p in persons:
        phone, email = MobilePhone(p.contact.phone), Email(p.contact.email)
        if p.visible:
            lines.append(f"{p.contact.full_name}, {phone.display()}, {email.value}")
        else:
            lines.append(f"{p.contact.full_name}, {phone.masked()}, {email.masked()}")
    return "; ".join(lines)


def _reason(item: Any, text: str | None) -> str | None:
    parts = [part for part in (item.label if item is not None else None, text) if part]
    return ": ".join(parts) or None


def _columns(i18n: Translator, names: Sequence[str]) -> list[Column]:
    formats = {"birth_date": DAY, "expected_close": DAY, "amount": MONEY}
    widths = {"id": 8, "name": 30, "description": 40, "persons": 50, "discussed": 40, "agreed": 40}
    return [
        Column(
            i18n.plain(f"export-col-{name}"),
            widths.get(name, 18),
            formats.get(name, MOMENT if name in MOMENTS else None),
        )
        for name in names
    ]


MOMENTS = {"created", "last_touch", "closed", "occurred"}
PERSON = ("phone", "birth_date", "email")
COLUMNS = {
    "contacts": ("id", "surname", "given_name", "patronymic", *PERSON, "position", "client", "responsible",
                 "created"),
    "clients": ("id", "name", "status", "industry", "region", "responsible", "persons", "created"),
    "leads": ("id", "status", "contact", *PERSON, "client", "source", "group", "description", "responsible",
              "reason", "created"),
    "deals": ("id", "status", "contact", *PERSON, "client", "group", "stage", "amount", "expected_close",
              "responsible", "last_touch", "closed", "reason", "created"),
    "interactions": ("id", "occurred", "kind", "outcome", "lead", "deal", "contact", "discussed", "agreed",
                     "qualifying", "author"),
}  # fmt: skip


def _contact_row(i18n: Translator, tz: tzinfo, item: ExportedContact) -> Row:
    c = item.contact
    return [c.id, c.surname, c.given_name, c.patronymic, *_person(item), c.position, item.client,
            item.responsible, moment(c.created_at, tz)]  # fmt: skip


def _client_row(i18n: Translator, tz: tzinfo, item: ExportedClient) -> Row:
    c = item.client
    return [c.id, c.name, i18n.plain(f"clients-status-{item.status.value}"), item.industry, item.region,
            item.responsible, _persons_text(item.persons), moment(c.created_at, tz)]  # fmt: skip


def _lead_row(i18n: Translator, tz: tzinfo, item: ExportedLead) -> Row:
    lead, person = item.lead, item.person
    return [lead.id, i18n.plain(f"lead-status-{lead.status}"), person.contact.full_name, *_person(person),
            person.client, item.source, item.group, lead.description, person.responsible,
            _reason(lead.reject_reason_item, lead.reject_reason), moment(lead.created_at, tz)]  # fmt: skip


def _deal_row(i18n: Translator, tz: tzinfo, item: ExportedDeal) -> Row:
    deal, person = item.deal, item.person
    return [deal.id, i18n.plain(f"deal-status-{deal.status}"), person.contact.full_name, *_person(person),
            person.client, item.group, deal.stage.label, Decimal(item.amount_minor) / 100,
            deal.expected_close, person.responsible, moment(deal.last_qualifying_at, tz),
            moment(deal.closed_at, tz),
            _reason(deal.lost_reason_item, deal.lost_reason), moment(deal.created_at, tz)]  # fmt: skip


def _interaction_row(i18n: Translator, tz: tzinfo, item: ExportedInteraction) -> Row:
    row = item.interaction
    yes_no = i18n.plain("export-yes" if row.qualifying else "export-no")
    return [row.id, moment(row.occurred_at, tz), i18n.plain(f"kind-{row.kind}"),
            i18n.plain(f"outcome-{row.outcome}"), row.lead_id, row.deal_id, item.contact_name, row.discussed,
            row.agreed, yes_no, item.author]  # fmt: skip


async def _rows(
    batches: AsyncIterator[list[Any]], to_row: Callable[[Translator, tzinfo, Any], Row], i18n: Translator,
    tz: tzinfo,
) -> AsyncIterator[list[Row]]:  # fmt: skip
    async for batch in batches:
        yield [to_row(i18n, tz, item) for item in batch]


def sheet_of(
    kind: str,
    flt: str,
    *,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    tz: tzinfo,
    settings: Settings,
    batch: int | None = None,
) -> Sheet:
    """The export of one list, as the reader may see it (R1c) and under the deals' filter ``flt``."""
    batch = batch or exports.BATCH
    source: AsyncIterator[list[Any]]
    to_row: Callable[[Translator, tzinfo, Any], Row]
    if kind == "contacts":
        source, to_row = exports.contacts(session, actor, batch), _contact_row
    elif kind == "clients":
        source, to_row = exports.clients(session, actor, batch), _client_row
    elif kind == "leads":
        source, to_row = exports.leads(session, actor, batch), _lead_row
    elif kind == "deals":
        source = exports.deals(
            session, actor, flt, now=datetime.now(UTC), period_months=settings.inactivity_period,
            policy=settings.comment_policy, tz=tz, at_risk_days=settings.at_risk_days, batch=batch,
        )  # fmt: skip
        to_row = _deal_row
    else:
        source, to_row = exports.interactions(session, actor, batch), _interaction_row
    title = i18n.plain(f"export-kind-{kind}")
    return Sheet(title, _columns(i18n, COLUMNS[kind]), _rows(source, to_row, i18n, tz))
