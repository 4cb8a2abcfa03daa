"""Leads (R1): directories a lead form needs, contact lookup, the lead card, the list, and the writes.

Every write opens its own ``write_tx`` and re-checks R1c (``may_act``) and the lead's status inside it, so a
stale or forged button, or a race with another manager, changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from db.engine import write_tx
from db.models import Contact, Interaction, Lead, LeadSource, ProductGroup, User
from db.repo import audit, outbox
from db.repo.contacts import ContactDraft, draft_keys
from db.repo.directories import Kind
from db.repo.outcome_reasons import chosen_reason
from db.repo.paging import PAGE_SIZE, offset, trim
from db.repo.visibility import contact_filter, may_act, may_see_contact, owner_filter
from domain import errors
from domain.access import Actor, Role
from domain.comments import DEFAULT_COMMENT_POLICY, CommentPolicy
from domain.errors import NotAllowed
from domain.interactions import qualifies
from domain.leads import Lead as DomainLead
from domain.leads import LeadStatus, can_reject
from domain.values import name_key

CHOICE_LIMIT = 10


async def active_sources(session: AsyncSession) -> list[LeadSource]:
    return list(
        await session.scalars(
            select(LeadSource)
            .where(LeadSource.is_active.is_(True))
            .order_by(LeadSource.position, LeadSource.id)
        )
    )


async def active_source(session: AsyncSession, source_id: int) -> LeadSource | None:
    source = await session.get(LeadSource, source_id)
    return source if source is not None and source.is_active else None


async def active_group(session: AsyncSession, group_id: int) -> ProductGroup | None:
    group = await session.get(ProductGroup, group_id)
    return group if group is not None and group.is_active else None


async def get_contact(session: AsyncSession, contact_id: int) -> Contact | None:
    return await session.get(Contact, contact_id)


def _phone_digits(text: str) -> str | None:
    """The digits of a typed phone fragment, with a Russian trunk «8» read as «7»; ``None`` for a name."""
    if re.search(r"[^\W\d_]", text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) < 3:
        return None
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits


async def find_visible_contacts(
    session: AsyncSession, actor: Actor, text: str, *, limit: int = CHOICE_LIMIT
) -> list[Contact]:
    """Contacts ``actor`` may see whose name contains every typed word, or whose phone contains the digits."""
    digits = _phone_digits(text)
    if digits is not None:
        condition = Contact.phone.contains(digits, autoescape=True)
    else:
        words = name_key(text).split()
        if not words:
            return []
        condition = and_(*(Contact.name_key.contains(word, autoescape=True) for word in words))
    return list(
        await session.scalars(
            select(Contact)
            .where(condition, contact_filter(actor))
            .order_by(Contact.surname, Contact.given_name, Contact.id)
            .limit(limit)
        )
    )


async def recent_contacts(session: AsyncSession, actor: Actor, *, limit: int = CHOICE_LIMIT) -> list[Contact]:
    """The visible contacts ``actor`` created or last put a lead on, most recent first."""
    last_used = (
        select(func.max(Lead.created_at))
        .where(Lead.contact_id == Contact.id, Lead.created_by_id == actor.user_id)
        .correlate(Contact)
        .scalar_subquery()
    )
    return list(
        await session.scalars(
            select(Contact)
            .where(
                contact_filter(actor),
                or_(Contact.created_by_id == actor.user_id, last_used.is_not(None)),
            )
            .order_by(func.coalesce(last_used, Contact.created_at).desc(), Contact.id.desc())
            .limit(limit)
        )
    )


async def assignable_users(session: AsyncSession, actor: Actor) -> list[User]:
    """Who ``actor`` may make responsible for a lead: an admin anyone active, a team lead their team."""
    query = select(User).where(User.is_active.is_(True))
    if actor.role is Role.ADMIN:
        pass
    elif actor.role is Role.TEAM_LEAD and actor.team_id is not None:
        query = query.where(User.team_id == actor.team_id)
    else:
        query = query.where(User.id == actor.user_id)
    return list(await session.scalars(query.order_by(User.full_name, User.id)))


async def assignable_user(session: AsyncSession, actor: Actor, user_id: int) -> User | None:
    return next((user for user in await assignable_users(session, actor) if user.id == user_id), None)


async def knows_contact(session: AsyncSession, contact_id: int, known: ContactDraft | None) -> bool:
    """R5b: ``known`` (what the manager typed in a refused contact form) duplicates this contact (R5a: two or
    more fields match, checked on the unique ``dup_*`` indexes)."""
    keys = draft_keys(known) if known is not None else {}
    if not keys:
        return False
    conditions = [getattr(Contact, column) == key for column, key in keys.items()]
    found = await session.scalar(select(Contact.id).where(Contact.id == contact_id, or_(*conditions)))
    return found is not None


async def may_start_lead_on(
    session: AsyncSession, actor: Actor, contact_id: int, known: ContactDraft | None = None
) -> bool:
    """Access, R1c, R5b: a lead may be started on a contact ``actor`` may see, or on the existing contact
    that the contact form just refused as a duplicate of what ``actor`` typed (``known``)."""
    if await may_see_contact(session, actor, contact_id):
        return True
    return await knows_contact(session, contact_id, known)


async def create_lead(
    session: AsyncSession,
    *,
    actor: Actor,
    contact_id: int,
    source_id: int,
    product_group_id: int | None,
    description: str,
    responsible_id: int,
    known: ContactDraft | None = None,
) -> Lead | None:
    """R1a/R1b: a new open lead with its audit entry; ``None`` when a directory entry or the contact is gone,
    or the responsible person may no longer be assigned by ``actor``.

    Raises :class:`~domain.errors.NotAllowed` when ``actor`` may not see the contact and has not just typed
    its duplicate (R5b, ``known``): a forged contact id starts nothing and reveals nothing.
    """
    async with write_tx(session):
        if await get_contact(session, contact_id) is not None and not await may_start_lead_on(
            session, actor, contact_id, known
        ):
            raise NotAllowed("the contact is not visible to the actor")
        if (
            await get_contact(session, contact_id) is None
            or await active_source(session, source_id) is None
            or (product_group_id is not None and await active_group(session, product_group_id) is None)
            or await assignable_user(session, actor, responsible_id) is None
        ):
            return None
        lead = Lead(
            contact_id=contact_id,
            source_id=source_id,
            product_group_id=product_group_id,
            description=description,
            responsible_id=responsible_id,
            status=LeadStatus.OPEN.value,
            created_by_id=actor.user_id,
        )
        session.add(lead)
        await session.flush()
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="lead",
            entity_id=lead.id,
            action="created",
            after={
                "contact_id": contact_id,
                "source_id": source_id,
                "product_group_id": product_group_id,
                "responsible_id": responsible_id,
                "status": lead.status,
            },
        )
        if responsible_id != actor.user_id:
            await outbox.queue_notice(
                session,
                kind=outbox.LEAD_ASSIGNED,
                recipient_id=responsible_id,
                payload={"lead_id": lead.id, "by_id": actor.user_id},
            )
    return lead


@dataclass(frozen=True)
class LeadCard:
    lead: Lead
    source: str
    group: str | None
    responsible: User
    interactions: int
    last_qualifying: Interaction | None


async def lead_card(
    session: AsyncSession, lead_id: int, policy: CommentPolicy = DEFAULT_COMMENT_POLICY
) -> LeadCard | None:
    lead = await session.scalar(
        select(Lead)
        .options(joinedload(Lead.contact), joinedload(Lead.reject_reason_item))
        .where(Lead.id == lead_id)
    )
    if lead is None:
        return None
    source = await session.get(LeadSource, lead.source_id)
    group = await session.get(ProductGroup, lead.product_group_id) if lead.product_group_id else None
    responsible = await session.get(User, lead.responsible_id)
    assert source is not None and responsible is not None
    count = await session.scalar(
        select(func.count()).select_from(Interaction).where(Interaction.lead_id == lead_id)
    )
    history = await session.scalars(
        select(Interaction)
        .where(Interaction.lead_id == lead_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
    )
    # R1d: decided by the same rule as /log and conversion, not read from the flag stored at saving.
    last = next(
        (row for row in history if qualifies(row.kind, row.outcome, row.discussed, row.agreed, policy)), None
    )
    return LeadCard(lead, source.label, group.label if group else None, responsible, count or 0, last)


async def visible_leads_page(session: AsyncSession, actor: Actor, page: int) -> tuple[list[Lead], bool]:
    """One page of the leads ``actor`` may see: open ones first, then the newest."""
    rows = list(
        await session.scalars(
            select(Lead)
            .options(joinedload(Lead.contact))
            .where(owner_filter(actor, Lead.responsible_id))
            .order_by((Lead.status == LeadStatus.OPEN.value).desc(), Lead.created_at.desc(), Lead.id.desc())
            .offset(offset(page))
            .limit(PAGE_SIZE + 1)
        )
    )
    return trim(rows)


@dataclass(frozen=True)
class LeadValues:
    """A lead's own fields that may change after the save (its contact and responsible do not, here)."""

    source_id: int
    product_group_id: int | None
    description: str


class LeadClosed(errors.Closed):
    key = "lead-edit-closed"


async def editable_lead(session: AsyncSession, actor: Actor, lead_id: int) -> Lead:
    """R1c: an open lead that ``actor`` may change."""
    lead = await session.get(Lead, lead_id, populate_existing=True)
    if lead is None:
        raise errors.Gone("lead not found")
    if not await may_act(session, actor, lead.responsible_id):
        raise errors.NotAllowed("lead of another manager")
    if lead.status != LeadStatus.OPEN.value:
        raise LeadClosed("lead is not open")
    return lead


async def edit_lead(session: AsyncSession, actor: Actor, lead_id: int, new: LeadValues) -> tuple[str, ...]:
    """Change an open lead's source, product group and description; returns the changed fields (none:
    nothing was written). R1c and the choices are checked inside the write; each change is audited."""
    async with write_tx(session):
        lead = await editable_lead(session, actor, lead_id)
        before: dict[str, object] = {"source_id": lead.source_id, "product_group_id": lead.product_group_id}
        before["description"] = lead.description
        after: dict[str, object] = {"source_id": new.source_id, "product_group_id": new.product_group_id}
        after["description"] = new.description
        changed = {field for field in after if after[field] != before[field]}
        if "source_id" in changed and await active_source(session, new.source_id) is None:
            raise errors.Gone("source switched off")
        group_id = new.product_group_id
        if (
            "product_group_id" in changed
            and group_id is not None
            and await active_group(session, group_id) is None
        ):
            raise errors.Gone("group switched off")
        lead.source_id, lead.product_group_id = new.source_id, new.product_group_id
        lead.description = new.description
        return audit.record_changes(
            session, actor_id=actor.user_id, entity="lead", entity_id=lead.id, before=before, after=after
        )


class Change(StrEnum):
    DONE = "done"
    DENIED = "denied"
    NOT_OPEN = "not_open"
    GONE = "gone"


async def reject_lead(
    session: AsyncSession, *, actor: Actor, lead_id: int, reason_id: int, text: str | None
) -> Change:
    """R2a: a refusal is a rejected lead with the reason chosen from «Причины отказа» (``ReasonGone`` when it
    does not exist or was switched off: nothing is saved) and the optional text next to it; R1c is checked
    again inside the transaction."""
    async with write_tx(session):
        lead = await session.get(Lead, lead_id)
        if lead is None:
            return Change.GONE
        if not await may_act(session, actor, lead.responsible_id):
            return Change.DENIED
        decision = can_reject(
            DomainLead(lead.id, lead.contact_id, lead.responsible_id, LeadStatus(lead.status))
        )
        if not decision.ok:
            return Change.NOT_OPEN
        reason = await chosen_reason(session, Kind.REFUSAL, reason_id)
        lead.status = LeadStatus.REJECTED.value
        lead.reject_reason_id, lead.reject_reason = reason.id, text or None
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="lead",
            entity_id=lead.id,
            action="rejected",
            before={"status": LeadStatus.OPEN.value},
            after={
                "status": lead.status,
                "reject_reason_id": reason.id,
                "reason": reason.name,
                "reject_reason": text or None,
            },
        )
    return Change.DONE


async def reassign_lead(session: AsyncSession, *, actor: Actor, lead_id: int, user_id: int) -> Change:
    """R1c: the responsible manager's team lead or an admin hands the lead to someone they may assign."""
    async with write_tx(session):
        lead = await session.get(Lead, lead_id)
        if lead is None:
            return Change.GONE
        if (
            actor.role not in {Role.TEAM_LEAD, Role.ADMIN}
            or not await may_act(session, actor, lead.responsible_id)
            or await assignable_user(session, actor, user_id) is None
        ):
            return Change.DENIED
        if lead.status != LeadStatus.OPEN.value:
            return Change.NOT_OPEN
        before = lead.responsible_id
        lead.responsible_id = user_id
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="lead",
            entity_id=lead.id,
            action="reassigned",
            before={"responsible_id": before},
            after={"responsible_id": user_id},
        )
        if user_id != actor.user_id:
            await outbox.queue_notice(
                session,
                kind=outbox.LEAD_ASSIGNED,
                recipient_id=user_id,
                payload={"lead_id": lead.id, "by_id": actor.user_id},
            )
    return Change.DONE
