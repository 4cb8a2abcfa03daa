"""Deals: converting a lead (R1d, R2d, R2i), a loaded deal and its R2 state, the refusals of deal writes.

The rules themselves live in ``domain``: this module reads rows, hands them to the domain as plain values, and
writes the result inside one ``write_tx`` together with the rule's own read (the lead's status, the R2i
duplicate check), so a check and its write always see the same database. A deal's later changes are in
``db.repo.deal_changes``, the list of deals and the deals at risk in ``db.repo.deal_lists``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from db.engine import write_tx
from db.models import Contact, Deal, DealLine, Interaction, Lead, Product, ProductGroup, Stage, User
from db.repo import audit, stage_history
from db.repo.paging import PAGE_SIZE
from db.repo.visibility import owner_filter, team_of
from domain import errors
from domain.access import Actor, may_act_on
from domain.comments import CommentPolicy, check_expanded_text
from domain.deals import DealSnapshot, DealState, DealStatus, ProductLine, deal_state, open_deal_key
from domain.interactions import Interaction as DomainInteraction
from domain.interactions import from_stored, last_qualifying_at
from domain.leads import Decision, LeadStatus, can_convert
from domain.leads import Lead as DomainLead
from domain.money import from_minor


class DuplicateDeal(errors.Conflict):
    """R2i: the client already has an open deal in this product group."""

    def __init__(self, existing_id: int) -> None:
        super().__init__(f"open deal {existing_id} exists for this client and product group")
        self.existing_id = existing_id


class LeadNotConvertible(Exception):
    """R1d (or R1c): the lead cannot become a deal; ``reasons`` are Fluent keys."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__("lead is not convertible")
        self.reasons = tuple(reasons)


class InactiveChoice(Exception):
    """A directory value picked in the form was switched off before the save (``field``: a ``field-*`` code).

    Deactivated values stay valid on old records but cannot be chosen for new ones.
    """

    def __init__(self, field: str) -> None:
        super().__init__(f"{field} is no longer active")
        self.field = field


async def check_choices_active(session: AsyncSession, draft: DealDraft) -> None:
    stage = await session.get(Stage, draft.stage_id)
    if stage is None or not stage.is_active or stage.kind != "open":
        raise InactiveChoice("stage")
    group = await session.get(ProductGroup, draft.product_group_id)
    if group is None or not group.is_active:
        raise InactiveChoice("product_group")
    wanted = {product_id for product_id, _amount in draft.lines}
    active = set(
        await session.scalars(
            select(Product.id).where(
                Product.id.in_(wanted), Product.is_active.is_(True), Product.group_id == group.id
            )
        )
    )
    if active != wanted:
        raise InactiveChoice("product_lines")


class NotAllowed(errors.NotAllowed):
    """R1c: the actor may not act on this lead or deal, or may not make this person responsible."""


# ---------------------------------------------------------------------------------------------
# Leads that may become deals (R1c, R1d)
# ---------------------------------------------------------------------------------------------


def _domain_interaction(row: Interaction) -> DomainInteraction | None:
    """The domain view of a stored interaction; a row with an impossible kind/outcome never qualifies."""
    return from_stored(row.kind, row.outcome, row.occurred_at, row.author_id, row.discussed, row.agreed)


async def lead_interactions(
    session: AsyncSession, lead_ids: Sequence[int]
) -> dict[int, list[DomainInteraction]]:
    """The interactions logged on each lead, as domain values (R1d is recomputed, not read from a flag)."""
    found: dict[int, list[DomainInteraction]] = {lead_id: [] for lead_id in lead_ids}
    if not lead_ids:
        return found
    rows = await session.scalars(
        select(Interaction).where(Interaction.lead_id.in_(lead_ids)).order_by(Interaction.occurred_at)
    )
    for row in rows:
        value = _domain_interaction(row)
        if value is not None and row.lead_id is not None:
            found[row.lead_id].append(value)
    return found


def domain_lead(lead: Lead, interactions: Sequence[DomainInteraction]) -> DomainLead:
    return DomainLead(
        id=lead.id,
        contact_id=lead.contact_id,
        responsible_id=lead.responsible_id,
        status=LeadStatus(lead.status),
        interactions=tuple(interactions),
    )


async def conversion_decision(session: AsyncSession, lead: Lead, policy: CommentPolicy) -> Decision:
    """R1d: may this lead become a deal now?"""
    interactions = (await lead_interactions(session, [lead.id]))[lead.id]
    return can_convert(domain_lead(lead, interactions), policy)


async def get_lead(session: AsyncSession, lead_id: int) -> Lead | None:
    return await session.scalar(select(Lead).options(joinedload(Lead.contact)).where(Lead.id == lead_id))


@dataclass(frozen=True)
class LeadChoice:
    lead: Lead
    decision: Decision


async def open_leads_page(
    session: AsyncSession, actor: Actor, page: int, policy: CommentPolicy
) -> tuple[list[LeadChoice], bool]:
    """The actor's open leads (R1c: visible and actionable have the same shape), newest first, with R1d."""
    leads = list(
        await session.scalars(
            select(Lead)
            .options(joinedload(Lead.contact))
            .where(Lead.status == LeadStatus.OPEN.value, owner_filter(actor, Lead.responsible_id))
            .order_by(Lead.created_at.desc(), Lead.id.desc())
            .limit(PAGE_SIZE + 1)
            .offset(page * PAGE_SIZE)
        )
    )
    has_next = len(leads) > PAGE_SIZE
    leads = leads[:PAGE_SIZE]
    interactions = await lead_interactions(session, [lead.id for lead in leads])
    choices = [
        LeadChoice(lead, can_convert(domain_lead(lead, interactions[lead.id]), policy)) for lead in leads
    ]
    return choices, has_next


# ---------------------------------------------------------------------------------------------
# Who may own a deal
# ---------------------------------------------------------------------------------------------


async def team_members(session: AsyncSession, team_id: int | None) -> list[User]:
    if team_id is None:
        return []
    return list(
        await session.scalars(
            select(User)
            .where(User.team_id == team_id, User.is_active.is_(True))
            .order_by(User.full_name, User.id)
        )
    )


# ---------------------------------------------------------------------------------------------
# Conversion (R1d, R2d, R2i)
# ---------------------------------------------------------------------------------------------


def party_key(client_id: int | None, contact_id: int, product_group_id: int) -> str:
    """R2i: the deal's party, ``client:<id>`` or ``contact:<id>``, the owner part of ``open_deal_key``."""
    return open_deal_key(client_id, contact_id, product_group_id).removesuffix(f":group:{product_group_id}")


async def open_deal_of_party(session: AsyncSession, party: str, product_group_id: int) -> Deal | None:
    return await session.scalar(
        select(Deal).where(
            Deal.party_key == party,
            Deal.product_group_id == product_group_id,
            Deal.status == DealStatus.OPEN.value,
        )
    )


async def existing_open_deal(session: AsyncSession, contact_id: int, product_group_id: int) -> Deal | None:
    """R2i pre-check for a form: the open deal that would block a new one for this contact's client."""
    client_id = await session.scalar(select(Contact.client_id).where(Contact.id == contact_id))
    return await open_deal_of_party(
        session, party_key(client_id, contact_id, product_group_id), product_group_id
    )


@dataclass
class DealDraft:
    """What the /new_deal form collected. Amounts are in kopecks."""

    lead_id: int
    product_group_id: int
    stage_id: int
    comment: str
    responsible_id: int
    lines: list[tuple[int, int]] = field(default_factory=list)
    #: Optional details, by column, set on the new deal as they are: e.g. ``{"expected_close": date}``.
    details: dict[str, Any] = field(default_factory=dict)


async def convert_lead(session: AsyncSession, actor: Actor, draft: DealDraft, policy: CommentPolicy) -> int:
    """R2d: make a deal from a lead, in one write transaction; returns the deal's id.

    Inside the transaction: R1c (the actor may still act on the lead and on the chosen responsible), R1d (the
    lead is open and has a qualifying interaction), R2i (no open deal of the same party in the group). The
    partial unique index catches the race that the read cannot see; both give :class:`DuplicateDeal`.
    """
    party: str | None = None
    try:
        async with write_tx(session):
            lead = await get_lead(session, draft.lead_id)
            if lead is None:
                raise LeadNotConvertible(["err-lead-not-open"])
            allowed = may_act_on(actor, lead.responsible_id, await team_of(session, lead.responsible_id))
            may_assign = may_act_on(actor, draft.responsible_id, await team_of(session, draft.responsible_id))
            if not allowed or not may_assign:
                raise NotAllowed
            await check_choices_active(session, draft)
            interactions = (await lead_interactions(session, [lead.id]))[lead.id]
            decision = can_convert(domain_lead(lead, interactions), policy)
            if not decision.ok:
                raise LeadNotConvertible(decision.reasons)
            client_id = lead.contact.client_id
            party = party_key(client_id, lead.contact_id, draft.product_group_id)
            existing = await open_deal_of_party(session, party, draft.product_group_id)
            if existing is not None:
                raise DuplicateDeal(existing.id)
            deal = Deal(
                lead_id=lead.id,
                contact_id=lead.contact_id,
                client_id=client_id,
                party_key=party,
                product_group_id=draft.product_group_id,
                stage_id=draft.stage_id,
                status=DealStatus.OPEN.value,
                comment=draft.comment,
                comment_expanded=check_expanded_text(draft.comment, policy).ok,  # R2f, counted by reports
                responsible_id=draft.responsible_id,
                last_qualifying_at=last_qualifying_at(interactions, policy),
                created_by_id=actor.user_id,
                lines=[DealLine(product_id=pid, amount_minor=amount) for pid, amount in draft.lines],
                **draft.details,
            )
            session.add(deal)
            lead.status = LeadStatus.CONVERTED.value
            await session.flush()
            await stage_history.enter(
                session, deal.id, draft.stage_id, at=deal.created_at, actor_id=actor.user_id
            )
            audit.record(
                session,
                actor_id=actor.user_id,
                entity="deal",
                entity_id=deal.id,
                action="created",
                after={
                    "lead_id": lead.id,
                    "product_group_id": draft.product_group_id,
                    "stage_id": draft.stage_id,
                    "responsible_id": draft.responsible_id,
                    "lines": len(draft.lines),
                    **{column: str(value) for column, value in draft.details.items()},
                },
            )
            audit.record(
                session,
                actor_id=actor.user_id,
                entity="lead",
                entity_id=lead.id,
                action="converted",
                before={"status": LeadStatus.OPEN.value},
                after={"status": LeadStatus.CONVERTED.value, "deal_id": deal.id},
            )
            return deal.id
    except IntegrityError:
        await session.rollback()
        # The race loser: another save got in between; the index refused ours. Same answer as the pre-check.
        if party is None:
            raise
        winner = await open_deal_of_party(session, party, draft.product_group_id)
        if winner is None:
            raise
        raise DuplicateDeal(winner.id) from None


# ---------------------------------------------------------------------------------------------
# The card
# ---------------------------------------------------------------------------------------------


async def get_deal(session: AsyncSession, deal_id: int) -> Deal | None:
    return await session.scalar(
        select(Deal)
        .options(
            selectinload(Deal.lines),
            joinedload(Deal.contact),
            joinedload(Deal.stage),
            joinedload(Deal.lost_reason_item),
        )
        .where(Deal.id == deal_id)
        .execution_options(populate_existing=True)
    )


def snapshot(deal: Deal) -> DealSnapshot:
    """What R2 needs from a loaded deal (lines and stage loaded)."""
    return DealSnapshot(
        product_group_id=deal.product_group_id,
        stage_id=deal.stage_id,
        contact_id=deal.contact_id,
        comment=deal.comment,
        lines=[ProductLine(line.product_id, from_minor(line.amount_minor)) for line in deal.lines],
        status=DealStatus(deal.status),
        last_qualifying_at=deal.last_qualifying_at,
        created_at=deal.created_at,
        stage_period_months=deal.stage.period_months,
    )


def state_of(deal: Deal, now: datetime, period_months: int, policy: CommentPolicy, tz: tzinfo) -> DealState:
    """R2e–R2h for a loaded deal, on the reader's calendar."""
    return deal_state(snapshot(deal), now, period_months, policy, tz=tz)


#: Distinct comments judged between two turns of the event loop.
YIELD_EVERY = 200


async def rejudge_comments(session: AsyncSession, policy: CommentPolicy, batch: int = 500) -> int:
    """R2f/R3: the stored verdict of every open deal's comment judged again with ``policy`` (the startup
    sweep: the comment policy may have changed in the settings since the deals were saved). Each distinct
    text is judged once; returns the number of deals whose verdict changed."""
    verdicts: dict[str, bool] = {}
    changed: dict[bool, list[int]] = {True: [], False: []}
    rows = await session.stream(
        select(Deal.id, Deal.comment, Deal.comment_expanded).where(Deal.status == DealStatus.OPEN.value)
    )
    async for deal_id, comment, stored in rows:
        if len(verdicts) % YIELD_EVERY == 0:
            await asyncio.sleep(0)  # a big base is judged without holding the chats up
        verdict = verdicts.get(comment)
        if verdict is None:
            verdict = verdicts[comment] = check_expanded_text(comment, policy).ok
        if verdict != stored:
            changed[verdict].append(deal_id)
    await session.rollback()  # end the read before the writes
    for verdict, ids in changed.items():
        for start in range(0, len(ids), batch):
            async with write_tx(session):
                await session.execute(
                    update(Deal)
                    .where(Deal.id.in_(ids[start : start + batch]))
                    .values(comment_expanded=verdict)
                    .execution_options(synchronize_session=False)
                )
    return len(changed[True]) + len(changed[False])
