"""Directories managed by admins by name: industries, business regions, product groups, products, lead
sources, pipeline stages (SPEC "Entities", R2h) and the reasons a deal is lost or a lead refused (R2a).

A value is never hard-deleted: it is deactivated, stays valid on the records that use it, and is no longer
offered for new ones (the flows choose among ``is_active`` rows). Names are unique case-insensitively within
their directory (products within their group); the check runs in Python because SQLite's ``lower()`` folds
ASCII only, and the table's own unique index still refuses an exact duplicate that a race lets through.

Every change re-checks, inside its write transaction, that the author is an active admin, and is audited.

Seeded values have an English name (``name_en``); a value people typed shows as typed in both languages.
Every screen that shows a directory value calls :func:`display_name` with the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import label_of
from db.engine import write_tx
from db.models import (
    BusinessRegion,
    Industry,
    LeadSource,
    LostReason,
    Product,
    ProductGroup,
    RefusalReason,
    Stage,
    User,
)
from db.repo import audit
from db.repo.paging import DIRECTORY_PAGE_SIZE, offset, trim
from domain import errors, limits

NAME_MIN = limits.DIRECTORY_NAME_MIN
NAME_MAX = limits.DIRECTORY_NAME


class Kind(StrEnum):
    """A directory; the value is its short code in callback data."""

    INDUSTRY = "ind"
    REGION = "reg"
    GROUP = "grp"
    PRODUCT = "prd"
    SOURCE = "src"
    STAGE = "stg"
    LOST = "los"
    REFUSAL = "ref"


MODELS: dict[Kind, Any] = {
    Kind.INDUSTRY: Industry,
    Kind.REGION: BusinessRegion,
    Kind.GROUP: ProductGroup,
    Kind.PRODUCT: Product,
    Kind.SOURCE: LeadSource,
    Kind.STAGE: Stage,
    Kind.LOST: LostReason,
    Kind.REFUSAL: RefusalReason,
}

# The audit log's entity name for each directory.
ENTITIES: dict[Kind, str] = {
    Kind.INDUSTRY: "industry",
    Kind.REGION: "business_region",
    Kind.GROUP: "product_group",
    Kind.PRODUCT: "product",
    Kind.SOURCE: "lead_source",
    Kind.STAGE: "stage",
    Kind.LOST: "lost_reason",
    Kind.REFUSAL: "refusal_reason",
}
#: The directories whose order the admins set (⬆️ / ⬇️): the pipeline and the reasons, offered in that order.
ORDERED = frozenset({Kind.STAGE, Kind.LOST, Kind.REFUSAL})


class DirectoryError(errors.Conflict):
    """A change refused; ``key`` is the Fluent id of the reason, ``params`` its variables."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class NotAdmin(errors.NotAllowed):
    """The author is not (or no longer) an active admin."""

    key = "admin-only"


class Named(Protocol):
    """A directory value, a model row or a selected row with both name columns."""

    @property
    def name(self) -> str: ...

    @property
    def name_en(self) -> str | None: ...


def display_name(value: Named, language: str) -> str:
    """The name of a directory value for a reader of ``language``: the English name of a seeded value for
    English, else the name as it was typed (a value people added reads the same in both languages)."""
    return value.name_en if language == "en" and value.name_en else value.name


def require_admin(user: User | None) -> User:
    """The user, if an active admin; else :class:`NotAdmin` (answered as «only for admins»)."""
    if user is None or not user.is_active or user.role != "admin":
        raise NotAdmin("not an active admin")
    return user


@dataclass(frozen=True)
class Item:
    id: int
    name: str
    is_active: bool
    stage_kind: str | None = None  # open | won | lost, for stages
    period_months: int | None = None
    group_id: int | None = None
    name_en: str | None = None


def normalize_name(text: str) -> str:
    return " ".join(text.split())


def check_name(text: str) -> str:
    """A directory name: 2–100 characters after collapsing spaces, and no longer than that once shown (the
    escaped markup of «<», «&» counts, see ``domain.limits``)."""
    name = normalize_name(text)
    if len(name) < NAME_MIN:
        raise errors.ValidationError("dir-name-too-short", "name too short", min=NAME_MIN)
    if len(name) > NAME_MAX:
        raise errors.ValidationError("dir-name-too-long", "name too long", max=NAME_MAX)
    if too_long := limits.check_length(name, NAME_MAX):
        raise errors.ValidationError(
            "limit-too-long", "name too long once shown", limit=too_long.limit, length=too_long.length
        )
    return name


def _item(kind: Kind, row: Any) -> Item:
    if kind is Kind.STAGE:
        return Item(row.id, row.name, row.is_active, row.kind, row.period_months, name_en=row.name_en)
    if kind is Kind.PRODUCT:
        return Item(row.id, row.name, row.is_active, group_id=row.group_id, name_en=row.name_en)
    return Item(row.id, row.name, row.is_active, name_en=row.name_en)


def _order(kind: Kind) -> list[Any]:
    model = MODELS[kind]
    if kind is Kind.STAGE:
        # The pipeline first (active, in order), then switched-off stages, then the won / lost outcomes.
        return [(Stage.kind != "open"), Stage.is_active.desc(), Stage.position, Stage.id]
    if kind is Kind.PRODUCT:
        return [Product.is_active.desc(), Product.name, Product.id]
    return [model.is_active.desc(), model.position, model.name, model.id]


async def list_page(
    session: AsyncSession, kind: Kind, page: int, group_id: int | None = None
) -> tuple[list[Item], bool]:
    """One page of a directory: active values first; products of one group."""
    model = MODELS[kind]
    query = (
        select(model)
        .order_by(*_order(kind))
        .limit(DIRECTORY_PAGE_SIZE + 1)
        .offset(offset(page, DIRECTORY_PAGE_SIZE))
    )
    if kind is Kind.PRODUCT:
        query = query.where(Product.group_id == group_id)
    rows = list(await session.scalars(query))
    shown, has_next = trim(rows, DIRECTORY_PAGE_SIZE)
    return [_item(kind, row) for row in shown], has_next


async def get_item(session: AsyncSession, kind: Kind, item_id: int) -> Item | None:
    row = await session.get(MODELS[kind], item_id)
    return _item(kind, row) if row is not None else None


async def find_item(session: AsyncSession, kind: Kind, text: str, group_id: int | None = None) -> Item | None:
    """The value whose name (in either language) is ``text`` whatever the case, else the only one containing
    it; ``None`` when there is none or several."""
    model = MODELS[kind]
    query = select(model)
    if kind is Kind.PRODUCT:
        query = query.where(Product.group_id == group_id)
    wanted = normalize_name(text).casefold()
    if not wanted:
        return None
    rows = list(await session.scalars(query))
    names = {
        row.id: {normalize_name(row.name).casefold(), normalize_name(row.name_en or "").casefold()}
        for row in rows
    }
    exact = [row for row in rows if wanted in names[row.id]]
    partial = [row for row in rows if any(wanted in name for name in names[row.id] if name)]
    found = exact or partial
    return _item(kind, found[0]) if len(found) == 1 else None


async def active_groups(session: AsyncSession) -> list[ProductGroup]:
    """The product groups offered for new leads and deals, in the admins' order."""
    return list(
        await session.scalars(
            select(ProductGroup)
            .where(ProductGroup.is_active.is_(True))
            .order_by(ProductGroup.position, ProductGroup.name, ProductGroup.id)
        )
    )


async def all_groups(session: AsyncSession) -> list[Item]:
    rows = await session.scalars(select(ProductGroup).order_by(*_order(Kind.GROUP)))
    return [_item(Kind.GROUP, row) for row in rows]


async def recheck_admin(session: AsyncSession, actor_id: int) -> None:
    require_admin(await session.get(User, actor_id, populate_existing=True))


async def _check_unique(
    session: AsyncSession, kind: Kind, name: str, *, group_id: int | None, except_id: int | None
) -> None:
    """Unique whatever the case, also against the English names of seeded values."""
    model = MODELS[kind]
    query = select(model.id, model.name, model.name_en)
    if kind is Kind.PRODUCT:
        query = query.where(Product.group_id == group_id)
    wanted = name.casefold()
    for row in await session.execute(query):
        names = (row.name, row.name_en or "")
        if row.id != except_id and wanted in {normalize_name(each).casefold() for each in names}:
            raise DirectoryError("dir-name-taken", name=row.name)


async def add_item(
    session: AsyncSession, actor_id: int, kind: Kind, text: str, group_id: int | None = None
) -> int:
    """A new active value at the end of its directory; returns its id. Its name reads the same in both
    languages."""
    name = check_name(text)
    model = MODELS[kind]
    try:
        async with write_tx(session):
            await recheck_admin(session, actor_id)
            values: dict[str, Any] = {"name": name, "is_active": True}
            if kind is Kind.PRODUCT:
                group = await session.get(ProductGroup, group_id or 0)
                if group is None:
                    raise errors.Gone("the product group is gone")
                values["group_id"] = group.id
            else:
                last = await session.scalar(select(func.max(model.position)))
                values["position"] = (last or 0) + 1
            if kind is Kind.STAGE:
                values["kind"] = "open"
            await _check_unique(session, kind, name, group_id=group_id, except_id=None)
            row = model(**values)
            session.add(row)
            await session.flush()
            audit.record(
                session,
                actor_id=actor_id,
                entity=ENTITIES[kind],
                entity_id=row.id,
                action="created",
                after={"name": name} | ({"group_id": group_id} if kind is Kind.PRODUCT else {}),
            )
            return int(row.id)
    except IntegrityError:
        # The race loser: the same name was saved in between; the unique index refused ours.
        raise DirectoryError("dir-name-taken", name=name) from None


async def row_for_update(session: AsyncSession, kind: Kind, item_id: int) -> Any:
    row = await session.get(MODELS[kind], item_id, populate_existing=True)
    if row is None:
        raise errors.Gone("the directory value is gone")
    return row


async def rename_item(session: AsyncSession, actor_id: int, kind: Kind, item_id: int, text: str) -> None:
    """The typed name replaces the value's name in both languages (a seeded value loses its English one)."""
    name = check_name(text)
    try:
        async with write_tx(session):
            await recheck_admin(session, actor_id)
            row = await row_for_update(session, kind, item_id)
            if row.name == name and row.name_en is None:
                return
            group_id = row.group_id if kind is Kind.PRODUCT else None
            await _check_unique(session, kind, name, group_id=group_id, except_id=row.id)
            before = row.name
            row.name = name
            row.name_en = None
            await session.flush()
            audit.record(
                session,
                actor_id=actor_id,
                entity=ENTITIES[kind],
                entity_id=row.id,
                action="renamed",
                before={"name": before},
                after={"name": name},
            )
    except IntegrityError:
        raise DirectoryError("dir-name-taken", name=name) from None


async def set_active(session: AsyncSession, actor_id: int, kind: Kind, item_id: int, active: bool) -> None:
    """Switch a value off or on. The won / lost outcomes and the last active pipeline stage stay on."""
    async with write_tx(session):
        await recheck_admin(session, actor_id)
        row = await row_for_update(session, kind, item_id)
        if row.is_active == active:
            return
        if kind is Kind.STAGE and row.kind != "open":
            raise DirectoryError("dir-stage-outcome-fixed")
        if kind is Kind.STAGE and not active:
            others = await session.scalar(
                select(func.count())
                .select_from(Stage)
                .where(Stage.kind == "open", Stage.is_active.is_(True), Stage.id != row.id)
            )
            if not others:
                raise DirectoryError("dir-stage-last-active")
        row.is_active = active
        audit.record(
            session,
            actor_id=actor_id,
            entity=ENTITIES[kind],
            entity_id=row.id,
            action="activated" if active else "deactivated",
            before={"is_active": not active},
            after={"is_active": active},
        )


# ---------------------------------------------------------------------------------------------
# Product groups, products and stages offered to deals
# ---------------------------------------------------------------------------------------------


async def get_group(session: AsyncSession, group_id: int) -> ProductGroup | None:
    return await session.get(ProductGroup, group_id)


async def active_products(session: AsyncSession, group_id: int) -> list[Product]:
    return list(
        await session.scalars(
            select(Product)
            .where(Product.group_id == group_id, Product.is_active.is_(True))
            .order_by(Product.name)
        )
    )


async def get_product(session: AsyncSession, product_id: int) -> Product | None:
    return await session.get(Product, product_id)


async def product_names(session: AsyncSession, product_ids: Sequence[int]) -> dict[int, str]:
    if not product_ids:
        return {}
    query = select(Product.id, label_of(Product).label("name")).where(Product.id.in_(set(product_ids)))
    return {row.id: row.name for row in await session.execute(query)}


async def open_stages(session: AsyncSession) -> list[Stage]:
    """The pipeline: active stages of kind open, in order. The first is a new deal's default."""
    return list(
        await session.scalars(
            select(Stage)
            .where(Stage.is_active.is_(True), Stage.kind == "open")
            .order_by(Stage.position, Stage.id)
        )
    )


async def get_stage(session: AsyncSession, stage_id: int) -> Stage | None:
    return await session.get(Stage, stage_id)


async def outcome_stage(session: AsyncSession, kind: str) -> Stage | None:
    """The terminal stage row for ``won`` or ``lost``."""
    return await session.scalar(
        select(Stage).where(Stage.kind == kind).order_by(Stage.is_active.desc(), Stage.position).limit(1)
    )
