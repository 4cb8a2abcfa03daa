"""The client registry's texts shown outside its own dialogs: the client card's body (also inside a route
request), a route request to its approver with «Одобрить» / «Отклонить» (an outbox notice, ``bot.notices``),
and the block of routes waiting for a decision on the day plan (``/today``).

Kept here, away from the feature's handlers, so the notices and the day plan need not import a feature.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import RouteCb
from bot.cards import clipped, first_lines
from bot.i18n import Html, Translator
from bot.settings import Settings
from db.models import BusinessRegion, Client, ClientRoute, Contact, Industry, User
from db.repo import clients as repo
from db.repo import routes, users
from db.repo.directories import display_name
from domain import limits
from domain.access import Actor, Role
from domain.values import Email, MobilePhone


def _phone(contact: Contact, visible: bool) -> str:
    phone = MobilePhone(contact.phone)
    return phone.display() if visible else phone.masked()


def _email(contact: Contact, visible: bool) -> str:
    email = Email(contact.email)
    return email.value if visible else email.masked()


def counterparty_line(i18n: Translator, legal_name: str, inn: str, kpp: str | None, kind: str) -> str:
    return i18n(
        "clients-card-counterparty",
        legal_name=clipped(legal_name, limits.CARD_NAME * 3),
        inn=inn,
        kpp=kpp or i18n("clients-value-none"),
        kind=i18n(f"clients-kind-{kind}"),
    )


async def directory_labels(
    session: AsyncSession, client: Client, language: str
) -> tuple[str | None, str | None]:
    """The client's industry and business region as a reader of ``language`` sees them (seeded values have
    an English name)."""
    industry = await session.get(Industry, client.industry_id) if client.industry_id else None
    region = await session.get(BusinessRegion, client.region_id) if client.region_id else None
    return (
        display_name(industry, language) if industry else None,
        display_name(region, language) if region else None,
    )


async def client_card_text(session: AsyncSession, i18n: Translator, card: repo.ClientCard) -> Html:
    """The card's body: fields, contact persons (masked unless the reader may see them), related leads, the
    counterparty or the pending route. Every value is escaped by the translator."""
    none = i18n("clients-value-none")
    industry, region = await directory_labels(session, card.client, i18n.language)
    parts = [
        i18n(
            "clients-card",
            name=clipped(card.client.name, limits.CARD_NAME),
            status=i18n(f"clients-status-{card.status}"),
            industry=industry or none,
            region=region or none,
            responsible=card.responsible or none,
        )
    ]
    if card.client.marked_lost:
        parts.append(i18n("clients-card-marked-lost"))
    if card.contacts:
        parts.append(i18n("clients-card-contacts-title"))
        lines = [
            i18n("clients-card-contact", name=c.full_name, phone=_phone(c, seen), email=_email(c, seen))
            for c, seen in card.contacts
        ]
        parts.extend(first_lines(i18n, lines))
    else:
        parts.append(i18n("clients-card-contacts-none"))
    if card.leads:
        parts.append(i18n("clients-card-leads-title"))
        lines = [
            i18n(
                "clients-card-lead",
                id=item.lead.id,
                contact=item.contact_name,
                status=i18n(f"lead-status-{item.lead.status}"),
                responsible=item.responsible_name,
            )
            for item in card.leads
        ]
        parts.extend(first_lines(i18n, lines))
    else:
        parts.append(i18n("clients-card-leads-none"))
    party = card.counterparty
    if party is not None:
        parts.append(counterparty_line(i18n, party.legal_name, party.inn, party.kpp, party.kind))
    elif card.pending_route is not None:
        parts.append(i18n("clients-card-route", approver=card.route_approver or none))
    return Html("\n".join(parts))


def decision_buttons(i18n: Translator, route_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            text=i18n.plain("clients-btn-approve"),
            callback_data=RouteCb(action="approve", id=route_id).pack(),
        ),
        InlineKeyboardButton(
            text=i18n.plain("clients-btn-reject"), callback_data=RouteCb(action="reject", id=route_id).pack()
        ),
    ]


async def route_request_text(
    session: AsyncSession, i18n: Translator, approver: User, route: ClientRoute
) -> str | None:
    """What the approver reads: the client card (contact persons masked unless they may see them), the
    counterparty's details and the requester's comment; ``None`` when the client is gone."""
    actor = Actor(approver.id, Role(approver.role), approver.team_id)
    card = await repo.client_card(session, actor, route.client_id, for_approver=True)
    if card is None:
        return None
    requester = await session.get(User, route.requester_id)
    none = i18n("clients-value-none")
    return i18n(
        "clients-route-request",
        requester=requester.full_name if requester else none,
        card=await client_card_text(session, i18n, card),
        legal_name=route.legal_name,
        inn=route.inn,
        kpp=route.kpp or none,
        kind=i18n(f"clients-kind-{route.kind}"),
        comment=route.comment or none,
    )


async def pending_routes_block(
    session: AsyncSession, i18n: Translator, approver: User, settings: Settings
) -> tuple[str, list[list[InlineKeyboardButton]]] | None:
    """For /today: the routes waiting for ``approver``'s decision, each with a button that shows the request
    again with «Одобрить» / «Отклонить»; ``None`` when there are none."""
    pending = await routes.pending_routes_for(session, approver.id)
    if not pending:
        return None
    zone = ZoneInfo(approver.timezone or settings.default_timezone)
    people = await users.users_by_ids(session, {r.requester_id for r in pending})
    clients = await repo.clients_by_ids(session, {r.client_id for r in pending})
    lines = [i18n("clients-today-routes-title", count=len(pending))]
    rows: list[list[InlineKeyboardButton]] = []
    for route in pending:
        client = clients.get(route.client_id)
        name = client.name if client else ""
        requester = people.get(route.requester_id)
        lines.append(
            i18n(
                "clients-today-route",
                client=name,
                requester=requester.full_name if requester else "",
                date=route.created_at.astimezone(zone).strftime("%d.%m.%Y"),
            )
        )
        label = i18n.plain("clients-btn-show-route", client=name)
        rows.append(
            [InlineKeyboardButton(text=label, callback_data=RouteCb(action="show", id=route.id).pack())]
        )
    return "\n".join(lines), rows
