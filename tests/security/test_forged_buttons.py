"""Forged and out-of-date buttons (SPEC "Access", R1c; issue 9, findings 2 and 9).

Every ``CallbackData`` prefix is pressed with another team's ids, a same-team colleague's ids (a manager sees
only their own work, R1c), and ids of −1, 0, 2^63, 10^30 and letters. Each press must be refused with the
out-of-date / no-access alert, must not crash («Что-то пошло не так»), must answer the button (no spinner
left), must change no row, and must show none of the other contact's personal data.

Buttons on an inaccessible message (``InaccessibleMessage``) or on an inline message (no message at all) get
the polite out-of-date answer too.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, EditMessageText, SendMessage
from aiogram.types import CallbackQuery, Chat, InaccessibleMessage, Update
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers
from bot.i18n import TranslatorHub
from db.engine import writing
from db.models import Client, ClientRoute, Counterparty, Document, ImportJob, ImportRow, Stage, Task
from domain.registry import client_search_key
from tests.conftest import ADMIN_ID
from tests.factories import make_contact, make_interaction, make_lead, make_user
from tests.harness import Harness, TgUser
from tests.registry import make_client, make_deal

Sessionmaker = async_sessionmaker[AsyncSession]

MANAGER, MATE, TEAM_LEAD, OTHER, OTHER_LEAD = 9101, 9102, 9103, 9104, 9105
TEAM_A, TEAM_B = "Продажи Север", "Продажи Юг"
BAD_IDS = ("-1", "0", str(2**63), str(10**30), "abc")
ZERO_MEANS_NONE = {"page", "arg", "rid", "to", "team", "team_id"}  # 0 is a valid value of these fields

_update_ids = itertools.count(800_000)


@dataclass
class Owned:
    """The records one manager owns: what a forged button points at."""

    user: int
    team: int
    contact: int
    lead: int
    deal: int
    client: int
    counterparty: int
    route: int
    task: int
    document: int
    import_job: int  # an import that created the contact: a forged «↩️ Отменить импорт» would delete it
    secrets: list[str] = field(default_factory=list)


async def _team_id(sessionmaker: Sessionmaker, user_id: int) -> int:
    async with sessionmaker() as session:
        found = await session.scalar(text("SELECT team_id FROM users WHERE id = :id"), {"id": user_id})
    assert found is not None
    return int(found)


async def _own_world(
    sessionmaker: Sessionmaker, user_id: int, approver_id: int, tag: str, phone: str, inn: str
) -> Owned:
    email = f"{tag}.secret@mail.ru"
    surname = {"mate": "Соседова", "other": "Чужакова", "own": "Своя"}[tag]
    birth = date(1971, 2, 13) if tag == "other" else date(1969, 11, 7)
    contact = await make_contact(
        sessionmaker, user_id, name=f"{surname} Тайна Петровна", phone=phone,
        birth=birth, email=email,
    )  # fmt: skip
    description = f"Секретное описание лида {tag}"
    lead = await make_lead(sessionmaker, contact, user_id, description=description)
    deal_lead = await make_lead(sessionmaker, contact, user_id, description=description + " 2")
    deal = await make_deal(sessionmaker, deal_lead)
    discussed = f"Секретный разговор {tag} о поставке"
    await make_interaction(sessionmaker, user_id, lead_id=lead, discussed=discussed)
    client = await make_client(sessionmaker, user_id, f"ООО Тайна {tag}", contact_ids=(contact,))
    async with writing(sessionmaker) as session:
        party_client = await make_client_in(session, user_id, f"ООО Партнёр {tag}")
        party = Counterparty(
            legal_name=f"ООО Контрагент {tag}", inn=inn, kind="customer", client_id=party_client,
            created_by_id=user_id,
        )  # fmt: skip
        route = ClientRoute(
            client_id=client, requester_id=user_id, approver_id=approver_id, legal_name=f"ООО Маршрут {tag}",
            inn=inn[::-1], kind="partner", comment=f"Секретный комментарий маршрута {tag}",
        )  # fmt: skip
        task = Task(
            title=f"Секретная задача {tag}", due_at=datetime.now(UTC) + timedelta(days=1),
            assignee_id=user_id, lead_id=lead, created_by_id=user_id,
        )  # fmt: skip
        document = Document(
            entity="contact", entity_id=contact, media="document", file_id=f"file-{tag}",
            file_unique_id=f"uniq-{tag}", file_name=f"паспорт-{tag}.pdf", author_id=user_id,
        )  # fmt: skip
        job = ImportJob(
            user_id=user_id, filename=f"база-{tag}.csv", source="csv", headers="[]", status="done",
            total=1, done=1, created=1,
        )  # fmt: skip
        session.add_all([party, route, task, document, job])
        await session.flush()
        session.add(
            ImportRow(job_id=job.id, row_no=2, cells="[]", fields="{}", verdict="created", contact_id=contact)
        )
        await session.flush()
        ids = party.id, route.id, task.id, document.id, job.id
    digits = re.sub(r"\D", "", phone)
    secrets = [digits[-10:], email, birth.strftime("%d.%m.%Y"), description, discussed]
    return Owned(
        user_id, await _team_id(sessionmaker, user_id), contact, lead, deal, client, *ids, secrets=secrets
    )


async def make_client_in(session: AsyncSession, user_id: int, name: str) -> int:
    client = Client(
        name=name, name_search=client_search_key(name), responsible_id=user_id, created_by_id=user_id
    )
    session.add(client)
    await session.flush()
    return client.id


@dataclass
class World:
    manager: int
    team_lead: int
    mate: Owned
    other: Owned
    own: Owned
    stage: int


async def build_world(harness: Harness, sessionmaker: Sessionmaker) -> World:
    manager = await make_user(sessionmaker, MANAGER, team=TEAM_A, full_name="Иван Петров")
    mate = await make_user(sessionmaker, MATE, team=TEAM_A, full_name="Коллега Соседов")
    team_lead = await make_user(
        sessionmaker, TEAM_LEAD, role="team_lead", team=TEAM_A, full_name="Лид Северный"
    )
    other = await make_user(sessionmaker, OTHER, team=TEAM_B, full_name="Чужой Менеджер")
    other_lead = await make_user(
        sessionmaker, OTHER_LEAD, role="team_lead", team=TEAM_B, full_name="Лид Южный"
    )
    async with sessionmaker() as session:
        stage = await session.scalar(
            select(Stage.id).where(Stage.kind == "open").order_by(Stage.position.desc())
        )
    assert stage is not None
    world = World(
        manager=manager,
        team_lead=team_lead,
        mate=await _own_world(sessionmaker, mate, team_lead, "mate", "+79162223344", "7707083893"),
        other=await _own_world(sessionmaker, other, other_lead, "other", "+79161112233", "7736050003"),
        own=await _own_world(sessionmaker, manager, team_lead, "own", "+79165556677", "7702070139"),
        stage=stage,
    )
    async with writing(sessionmaker) as session:  # the reassignment buttons are for deactivated owners
        await session.execute(
            text("UPDATE users SET is_active = 0 WHERE id IN (:a, :b)"), {"a": mate, "b": other}
        )
    for telegram_id in (MANAGER, TEAM_LEAD, ADMIN_ID):
        await harness.user(telegram_id).send("/menu")  # profile refresh and admin row, before any snapshot
    return world


# ---------------------------------------------------------------------------------------------------------
# Every button prefix, with the kind of record each id field names
# ---------------------------------------------------------------------------------------------------------


def callback_classes() -> dict[str, type[CallbackData]]:
    """Every ``CallbackData`` subclass the bot defines (bot/callbacks.py and the handlers' own)."""
    handlers.feature_routers()  # imports every handler module

    def walk(cls: type[CallbackData]) -> Iterator[type[CallbackData]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    found = {cls.__prefix__: cls for cls in walk(CallbackData)}
    return {
        prefix: cls for prefix, cls in found.items() if cls.__module__.split(".")[0] in {"bot", "handlers"}
    }


@dataclass(frozen=True)
class Press:
    """One button: its prefix, the fixed fields, and which field holds which kind of record id."""

    prefix: str
    fixed: dict[str, str]
    ids: dict[
        str, str
    ]  # field -> kind (contact, lead, deal, task, client, counterparty, route, document, user,
    #                       team, stage, self)
    setup: str | None = None  # a command that opens the form state the button belongs to


ENTITIES = ("contact", "client", "counterparty", "lead", "deal")
PRESSES: list[Press] = [
    *(Press("ct", {"action": a}, {"id": "contact"}) for a in ("open", "lead")),
    *(
        Press("ld", {"action": a}, {"id": "lead"})
        for a in ("open", "full", "reject", "reassign", "log", "convert", "task")
    ),
    *(
        Press("dl", {"action": a}, {"id": "deal"})
        for a in ("open", "full", "stage", "product", "won", "lost", "log", "task")
    ),
    Press("dl", {"action": "stage"}, {"id": "deal", "arg": "stage"}),
    Press("dl", {"action": "won", "arg": "1"}, {"id": "deal"}),
    *(Press("tk", {"action": a, "src": s}, {"id": "task"}) for a in ("done", "resched") for s in ("n", "p")),
    *(Press("hs", {"entity": e}, {"id": e}) for e in ENTITIES),
    *(Press("dc", {"action": a, "entity": e}, {"id": e}) for a in ("list", "attach") for e in ENTITIES),
    Press("df", {}, {"id": "document"}),
    *(
        Press("cl", {"action": a}, {"id": "client"})
        for a in ("open", "add", "lost", "unlost", "convert", "route")
    ),
    Press("cl", {"action": "party"}, {"id": "counterparty"}),
    *(Press("rt", {"action": a}, {"id": "route"}) for a in ("show", "approve", "reject", "withdraw")),
    Press("lra", {}, {"lead": "lead", "user": "self"}),
    Press("lra", {}, {"lead": "lead", "user": "user"}),
    *(
        Press("ra", {"action": a, "kind": k}, {"owner": "user", "rid": r, "to": "self"})
        for a in ("list", "one", "to", "all", "allto")
        for k, r in (("l", "lead"), ("d", "deal"))
    ),
    *(
        Press("inv", {"action": a, "role": "manager"}, {"team_id": "team"})
        for a in ("role", "team", "newteam")
    ),
    Press("im", {"action": "undo"}, {"id": "import_job"}),
    *(
        Press("pg", {"kind": k}, {"page": "page"})
        for k in ("contacts", "leads", "deals", "find", "clients", "ndl", "logl", "logd")
    ),
]
# Prefixes whose buttons carry no id: only the out-of-date-message presses apply to them.
WITHOUT_IDS = {"set", "nav", "tp", "lf", "cf", "dd", "cv", "ob"}


def pack(cls: type[CallbackData], values: dict[str, str]) -> str:
    """The raw callback string, field by field, whatever the values (a forger is not bound by validation)."""
    parts = [cls.__prefix__]
    for name, info in cls.model_fields.items():
        default = "" if info.default is None else str(info.default)
        parts.append(values.get(name, default))
    return ":".join(parts)


def id_of(world: World, owner: Owned, kind: str) -> str:
    if kind == "self":
        return str(world.manager)
    if kind == "stage":
        return str(world.stage)
    if kind == "page":
        return "0"
    return str(getattr(owner, kind))


# ---------------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------------

SKIPPED_TABLES = {"fsm_records", "alembic_version", "handled_updates"}  # bookkeeping, not data


def snapshot(db: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every data row of every table (read with a plain connection: this runs after each press)."""
    names = [
        row[0]
        for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if row[0] not in SKIPPED_TABLES and not row[0].startswith("sqlite_")
    ]
    return {name: db.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall() for name in names}  # noqa: S608


REFUSALS = (
    "button-stale",
    "access-denied",
    "today-access-denied",
    "interaction-access-denied",
    "admin-only",
    "clients-route-decided",
    "clients-approver-invalid",
)


@cache
def hub() -> TranslatorHub:
    """The catalogs, parsed once for the module (parsing them takes a while)."""
    return TranslatorHub()


def refusals(harness: Harness) -> set[str]:
    return {hub().get(language)(key) for key in REFUSALS for language in ("ru", "en")}


async def press(user: TgUser, data: str, *, message: Any = "latest", inline: bool = False) -> list[Any]:
    """Press ``data``; returns the Bot API calls the press made."""
    harness = user.harness
    if message == "latest":
        found = harness.messages_to(user.telegram_id)
        message = found[-1] if found else None
    query = CallbackQuery(
        id=str(next(_update_ids)),
        from_user=user.user,
        chat_instance="ci",
        message=message,
        inline_message_id="AAAAinline" if inline else None,
        data=data,
    )
    start = len(harness.session.calls)
    await user.feed(Update(update_id=next(_update_ids), callback_query=query))
    return harness.session.calls[start:]


def answers(calls: list[Any]) -> list[AnswerCallbackQuery]:
    return [c for c in calls if isinstance(c, AnswerCallbackQuery)]


def texts(calls: list[Any]) -> list[str]:
    out = [c.text for c in calls if isinstance(c, SendMessage | EditMessageText) and c.text]
    return out + [c.text for c in answers(calls) if c.text]


def leaked(calls: list[Any], secrets: list[str]) -> list[str]:
    found = []
    for reply in texts(calls):
        digits = re.sub(r"\D", "", reply)
        found += [s for s in secrets if s in reply or (s.isdigit() and s in digits)]
    return found


async def _cancel(user: TgUser) -> None:
    await user.send("/cancel")


async def forged_presses(world: World) -> list[tuple[int, str, str | None, list[str]]]:
    """(presser's telegram id, data, setup command, secrets that must not show) for every forged press."""
    out: list[tuple[int, str, str | None, list[str]]] = []
    classes = callback_classes()
    targets = [(MANAGER, world.mate), (MANAGER, world.other), (TEAM_LEAD, world.other)]
    for spec in PRESSES:
        cls = classes[spec.prefix]
        for presser, owner in targets:
            if set(spec.ids.values()) <= {"page", "stage"}:
                continue  # not owned by anyone: only the impossible ids below
            values = {**spec.fixed, **{name: id_of(world, owner, kind) for name, kind in spec.ids.items()}}
            if presser == TEAM_LEAD and "self" in spec.ids.values():
                values = {
                    name: (str(world.team_lead) if v == str(world.manager) else v)
                    for name, v in values.items()
                }
            out.append((presser, pack(cls, values), spec.setup, owner.secrets))
        for name in spec.ids:
            for bad in BAD_IDS:
                if bad == "0" and name in ZERO_MEANS_NONE:
                    continue
                values = {
                    **spec.fixed,
                    **{n: id_of(world, world.own, k) for n, k in spec.ids.items()},
                    name: bad,
                }
                out.append((MANAGER, pack(cls, values), spec.setup, world.other.secrets + world.mate.secrets))
    return out


# ---------------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------------


# Actions of id-carrying buttons that carry no record id (form steps whose id field stays 0).
WITHOUT_ID_ACTIONS = (
    {("clf", v) for v in ("done", "edit", "find", "new", "save")}
    | {("lg", v) for v in ("edit", "kind", "outcome", "save")}
    | {("cl", "new")}
)


def registered_values() -> set[tuple[str, str]]:
    """(prefix, value) for every value a button handler's filter accepts (``F.action == …``, ``.in_(…)``)."""
    found: set[tuple[str, str]] = set()
    for router in handlers.feature_routers():
        for handler in router.callback_query.handlers:
            for flt in handler.filters or []:
                callback = flt.callback
                if not isinstance(callback, CallbackQueryFilter) or callback.rule is None:
                    continue
                for operation in callback.rule._operations:
                    values = [getattr(operation, "right", None), *getattr(operation, "args", ())]
                    for value in values:
                        for item in value if isinstance(value, set | frozenset) else [value]:
                            if isinstance(item, str):
                                found.add((callback.callback_data.__prefix__, item))
    return found


def test_every_callback_prefix_and_action_is_pressed() -> None:
    classes = callback_classes()
    covered = {spec.prefix for spec in PRESSES} | WITHOUT_IDS
    assert set(classes) <= covered, f"add forged presses for {sorted(set(classes) - covered)}"
    pressed = {(spec.prefix, value) for spec in PRESSES for value in spec.fixed.values()}
    wanted = {
        (prefix, value) for prefix, value in registered_values() if prefix not in WITHOUT_IDS
    } - WITHOUT_ID_ACTIONS
    assert wanted <= pressed, f"add forged presses for {sorted(wanted - pressed)}"
    for prefix, cls in classes.items():
        if prefix in WITHOUT_IDS:
            assert not any(f.annotation is int for f in cls.model_fields.values()), prefix
            continue
        id_fields = {name for name, f in cls.model_fields.items() if f.annotation is int}
        forged = set().union(*(spec.ids for spec in PRESSES if spec.prefix == prefix))
        assert id_fields <= forged | {"arg", "edit", "page"}, (prefix, id_fields - forged)


@pytest.mark.parametrize("chunk", range(2))
async def test_forged_buttons_are_refused_and_change_nothing(
    harness: Harness, sessionmaker: Sessionmaker, db_path: Path, chunk: int
) -> None:
    world = await build_world(harness, sessionmaker)
    refused = refusals(harness)
    generic = hub().get("ru")("error-generic")
    db = sqlite3.connect(db_path)
    before = snapshot(db)
    problems: list[str] = []
    presses = await forged_presses(world)
    for presser, data, setup, secrets in presses[chunk::2]:
        user = harness.user(presser)
        if setup:
            await user.send(setup)
        calls = await press(user, data)
        got = answers(calls)
        said = texts(calls)
        if not got:
            problems.append(f"{data}: the button was not answered (spinner left)")
        elif generic in said:
            problems.append(f"{data}: crashed")
        elif not (got[-1].show_alert and got[-1].text in refused):
            problems.append(f"{data} by {presser}: not refused: {said}")
        if any(isinstance(c, SendMessage | EditMessageText | EditMessageReplyMarkup) for c in calls):
            problems.append(f"{data} by {presser}: answered in the chat: {said}")
        if shown := leaked(calls, secrets):
            problems.append(f"{data}: showed personal data {shown}")
        if setup:
            await _cancel(user)
        after = snapshot(db)
        if after != before:
            changed = [name for name in before if before[name] != after.get(name)]
            problems.append(f"{data} by {presser}: changed {changed}")
            before = after
    db.close()
    assert not problems, "\n".join(problems)


async def test_forged_lead_on_a_hidden_contact_is_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """Finding 2: ``ct:lead`` on another team's contact started a lead that then showed its phone, e-mail."""
    world = await build_world(harness, sessionmaker)
    user = harness.user(MANAGER)
    calls = await press(user, f"ct:lead:{world.other.contact}")
    assert answers(calls) and answers(calls)[-1].text in refusals(harness)
    # Even walking the rest of the form by hand changes nothing.
    async with sessionmaker() as session:
        leads_before = await session.scalar(text("SELECT count(*) FROM leads"))
    for data in ("pk:source:1", "nav:skip", "lf:save:"):
        await press(user, data)
    await user.send("Хочет купить сканеры для склада")
    await press(user, "lf:save:")
    async with sessionmaker() as session:
        assert await session.scalar(text("SELECT count(*) FROM leads")) == leads_before


STALE_MESSAGE_PRESSES = [
    "set:tz:",
    "set:tztype:",
    "set:tzset:Europe/Moscow",
    "set:lang:",
    "set:langset:en",
    "set:team:",
    "set:dirs:",
    "inv:role:manager:0",
    "inv:team:manager:1",
    "inv:newteam:manager:0",
    "dr:kinds::0:0:0",
    "dr:list:stage:0:0:0",
    "tm:users:0:0::0",
    "tp:show",
    "nav:cancel",
    "nav:back",
]


def own_presses(world: World) -> list[str]:
    classes = callback_classes()
    out = []
    for spec in PRESSES:
        if spec.setup or spec.prefix in {"clf", "lg"}:
            continue
        values = {**spec.fixed, **{n: id_of(world, world.own, k) for n, k in spec.ids.items()}}
        out.append(pack(classes[spec.prefix], values))
    return out


@pytest.mark.parametrize("where", ["inaccessible", "inline"])
async def test_buttons_on_gone_or_inline_messages_get_a_polite_answer(
    harness: Harness, sessionmaker: Sessionmaker, where: str
) -> None:
    world = await build_world(harness, sessionmaker)
    generic = hub().get("ru")("error-generic")
    refused = refusals(harness)
    polite = {hub().get(language)("cancelled") for language in ("ru", "en")}
    problems: list[str] = []
    for presser, data in [(ADMIN_ID, d) for d in STALE_MESSAGE_PRESSES] + [
        (MANAGER, d) for d in own_presses(world)
    ]:
        user = harness.user(presser)
        if where == "inaccessible":
            gone = InaccessibleMessage(chat=Chat(id=user.telegram_id, type="private"), message_id=1, date=0)
            calls = await press(user, data, message=gone)
        else:
            calls = await press(user, data, message=None, inline=True)
        got = answers(calls)
        if not got:
            problems.append(f"{data}: not answered")
        elif generic in texts(calls):
            problems.append(f"{data}: crashed")
        elif any(isinstance(c, SendMessage | EditMessageText) for c in calls):
            problems.append(f"{data}: wrote to the chat without a message: {texts(calls)}")
        elif got[-1].text not in refused | polite and not data.startswith("tk:"):
            problems.append(f"{data}: answered {got[-1].text!r}, not the out-of-date alert")
    assert not problems, "\n".join(problems)


async def test_r5b_lead_on_the_refused_duplicate_still_works_but_only_on_it(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """R5b: the duplicate screen offers a lead on the existing contact even when the manager may not see it;
    that offer is remembered on the server, so it works for that contact only, not for a forged id."""
    world = await build_world(harness, sessionmaker)
    user = harness.user(MANAGER)
    await user.send("/new_contact")
    await user.send("Чужакова Тайна Петровна")
    shown = (await user.send("+7 916 111-22-33"))[-1]
    assert "Такой контакт уже есть" in shown and "111-22-33" not in shown  # masked: not visible to them
    # Another hidden contact, forged while the offer is open, is still refused.
    calls = await press(user, f"ct:lead:{world.mate.contact}")
    assert answers(calls)[-1].text in refusals(harness)
    await user.click("Создать лид на этот контакт")
    assert "Откуда пришёл лид" in user.last
    await user.click("Сайт")
    await user.click("Пропустить")
    await user.send("Хочет купить сканеры для склада")
    await user.click("Сохранить")
    async with sessionmaker() as session:
        contact = await session.scalar(
            text("SELECT contact_id FROM leads WHERE description = 'Хочет купить сканеры для склада'")
        )
    assert contact == world.other.contact


async def test_the_repository_refuses_forged_ids_by_itself(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """Visibility lives in the repository too (R1c): a caller skipping the handler's check changes nothing."""
    from db.repo import deal_changes, leads, tasks
    from domain.access import Actor, Role
    from domain.deals import DealStatus
    from domain.errors import NotAllowed

    world = await build_world(harness, sessionmaker)
    me = Actor(world.manager, Role.MANAGER, world.own.team)
    db = sqlite3.connect(harness_db(sessionmaker))
    before = snapshot(db)
    async with sessionmaker() as session:
        with pytest.raises(NotAllowed):
            await leads.create_lead(
                session, actor=me, contact_id=world.other.contact, source_id=1, product_group_id=None,
                description="Подделанный лид на чужой контакт", responsible_id=world.manager,
            )  # fmt: skip
        with pytest.raises(NotAllowed):
            await deal_changes.change_stage(session, me, world.mate.deal, world.stage)
        with pytest.raises(NotAllowed):
            await deal_changes.close_deal(session, me, world.other.deal, DealStatus.WON)
        with pytest.raises(NotAllowed):
            await tasks.complete_task(session, world.mate.task, me, datetime.now(UTC))
        with pytest.raises(NotAllowed):
            await tasks.reschedule_task(session, world.other.task, me, datetime.now(UTC) + timedelta(days=2))
    assert snapshot(db) == before
    db.close()


def harness_db(sessionmaker: Sessionmaker) -> str:
    url = sessionmaker.kw["bind"].url
    assert url.database is not None
    return str(url.database)


async def test_forged_ids_inside_form_steps_are_refused(harness: Harness, sessionmaker: Sessionmaker) -> None:
    """A form step's choice buttons are checked too: someone else's record or an impossible id is refused."""

    from bot.callbacks import ClientCb, DealCb

    world = await build_world(harness, sessionmaker)
    user = harness.user(MANAGER)
    hidden = [str(world.other.contact), str(world.mate.contact)]
    fresh_client = await make_client(sessionmaker, world.manager, "ООО Форма")
    db = sqlite3.connect(harness_db(sessionmaker))
    before = snapshot(db)
    problems = []

    async def forge_items(label: str, items: list[str]) -> None:
        """The client dialogs' choices (``Select`` items): the same button with another item id."""
        markup = harness.message(MANAGER).reply_markup
        real = next(b.callback_data for row in markup.inline_keyboard for b in row if label in b.text)  # type: ignore[union-attr]
        assert real is not None
        for item in items:
            data = f"{real.rsplit(':', 1)[0]}:{item}"
            calls = await press(user, data)
            got = answers(calls)
            if not got or not got[-1].show_alert or got[-1].text not in refusals(harness):
                problems.append(f"{label} {item}: {texts(calls)}")
            if shown := leaked(calls, world.other.secrets + world.mate.secrets):
                problems.append(f"{label} {item}: showed {shown}")

    await user.send("/clients")
    await user.click("Новый клиент")
    await user.send("ООО Проверка")
    await forge_items("Розничная торговля", ["-1", str(2**63), "999999", "abc", "²"])
    await user.click("Розничная торговля")
    await user.click("Центральный")
    await user.send("Своя")
    await forge_items("Своя Тайна", [*hidden, *BAD_IDS])
    await user.send("/cancel")
    await press(user, ClientCb(action="open", id=fresh_client).pack())
    await user.click("Отправить по маршруту")
    await user.send("ООО Форма")
    await user.send("500100732259")
    await user.click("Пропустить")
    assert "Кому отправить на согласование" in (await user.click("Партнёр"))[-1]
    not_approvers = [str(world.manager), str(world.other.user), str(world.mate.user)]
    first_approver = harness.message(MANAGER).reply_markup.inline_keyboard[0][0].text  # type: ignore[union-attr]
    await forge_items(first_approver, [*not_approvers, *BAD_IDS, str(10**30), "²"])
    await user.send("/cancel")
    # The deal form (R1c, R2): someone else's lead in the picker, impossible groups, products and stages.
    foreign_leads = [str(world.other.lead), str(world.mate.lead)]
    impossible = [*BAD_IDS, str(10**30), "abc", "²"]
    await user.send("/new_deal")
    own_lead = harness.message(MANAGER).reply_markup.inline_keyboard[0][0].text  # type: ignore[union-attr]
    await forge_items(own_lead, [*foreign_leads, "-1", "0", "abc"])
    await user.click(own_lead)
    await forge_items("Оборудование", impossible)
    await user.click("Оборудование")
    await forge_items("Сканер", impossible)
    await user.send("/cancel")
    # The deal card's choices: a product of the deal's group, a stage.
    await press(user, DealCb(action="open", id=world.own.deal).pack())
    await user.click("Товар")
    first_product = harness.message(MANAGER).reply_markup.inline_keyboard[0][0].text  # type: ignore[union-attr]
    await forge_items(first_product, impossible)
    await user.click("Назад")
    await user.click("Сменить этап")
    await forge_items("Переговоры", impossible)
    await user.send("/deals")
    await forge_items("Под угрозой", ["bogus", *impossible])
    assert snapshot(db) == before
    db.close()
    assert not problems, "\n".join(problems)


async def test_forged_ids_inside_the_lead_form_are_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """SPEC "Access": the lead form's choices (``Select`` items) are checked again: a contact the manager may
    not see, an impossible id, a switched-off or unknown source or group is refused, and nothing changes."""
    world = await build_world(harness, sessionmaker)
    user = harness.user(MANAGER)
    db = sqlite3.connect(harness_db(sessionmaker))
    before = snapshot(db)
    problems: list[str] = []

    async def forge_items(label: str, items: list[str]) -> None:
        markup = harness.message(MANAGER).reply_markup
        real = next(b.callback_data for row in markup.inline_keyboard for b in row if label in b.text)  # type: ignore[union-attr]
        assert real is not None
        for item in items:
            calls = await press(user, f"{real.rsplit(':', 1)[0]}:{item}")
            got = answers(calls)
            if not got or not got[-1].show_alert or got[-1].text not in refusals(harness):
                problems.append(f"{label} {item}: {texts(calls)}")
            if shown := leaked(calls, world.other.secrets + world.mate.secrets):
                problems.append(f"{label} {item}: showed {shown}")

    await user.send("/new_lead")
    await user.send("Своя")
    own = harness.message(MANAGER).reply_markup.inline_keyboard[0][0].text  # type: ignore[union-attr]
    await forge_items(own, [str(world.other.contact), str(world.mate.contact), *BAD_IDS, "²", "999999"])
    await user.click(own)
    await forge_items("Сайт", [*BAD_IDS, "²", "999999"])
    await user.click("Сайт")
    await forge_items("Оборудование", [*BAD_IDS, "²", "999999"])
    await user.send("/cancel")
    assert snapshot(db) == before
    db.close()
    assert not problems, "\n".join(problems)
