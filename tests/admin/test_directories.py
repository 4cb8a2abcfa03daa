"""/settings → «📚 Справочники»: admins add, rename, switch off and on directory values; stages are reordered
and get their own inactivity period (R2h). Deactivated values stay valid on old records but are not offered.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import PickCb, SettingsCb
from db.base import utcnow
from db.models import BusinessRegion, Deal, Industry, LeadSource, Product, ProductGroup, Stage
from db.repo import deals as deals_repo
from domain.comments import DEFAULT_COMMENT_POLICY
from domain.deals import deal_state
from handlers.legacy.directories import DirCb
from tests.admin.helpers import (
    admin,
    audit,
    count,
    insert_deal,
    open_lead,
    open_stage_names,
    row,
    stage_by_code,
    user_by_tg,
)
from tests.factories import make_user
from tests.harness import Harness

MANAGER = 701

# (directory button, model, an existing value, the directory's audit entity)
KINDS = [
    ("Отрасли", Industry, None, "industry"),
    ("Бизнес-регионы", BusinessRegion, None, "business_region"),
    ("Группы товаров", ProductGroup, "Оборудование", "product_group"),
    ("Товары", Product, "Сканер штрихкодов", "product"),
    ("Источники лидов", LeadSource, "Сайт", "lead_source"),
    ("Этапы воронки", Stage, "Переговоры", "stage"),
]


async def _existing_name(
    sessionmaker: async_sessionmaker[AsyncSession], model: type, name: str | None
) -> str:
    if name is not None:
        return name
    async with sessionmaker() as session:
        found = await session.scalar(select(model.name).order_by(model.id))  # type: ignore[attr-defined]
        assert found is not None
        return str(found)


async def _open_directory(harness: Harness, label: str) -> None:
    boss = harness.user(111_000_111)
    await boss.send("/settings")
    await boss.click("Справочники")
    await boss.click(label)
    if label == "Товары":
        await boss.click("Оборудование")


@pytest.mark.parametrize(("label", "model", "existing", "entity"), KINDS, ids=[k[3] for k in KINDS])
async def test_add_rename_deactivate_activate_each_directory(
    harness: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    label: str,
    model: type,
    existing: str | None,
    entity: str,
) -> None:
    boss = await admin(harness)
    existing_name = await _existing_name(sessionmaker, model, existing)
    before = await count(sessionmaker, model)
    await _open_directory(harness, label)

    replies = await boss.click("Добавить")
    assert "от 2 до 100 символов" in replies[-1] and "Например" in replies[-1]
    replies = await boss.send("Я")
    assert "Слишком коротко" in replies[-1]
    replies = await boss.send("x" * 101)
    assert "Слишком длинно" in replies[-1]
    replies = await boss.send("  " + existing_name.upper() + " ")
    assert "Такое значение уже есть" in replies[-1] and existing_name in replies[-1]
    assert await count(sessionmaker, model) == before

    replies = await boss.send("Новое <значение> & Co")
    assert "Сохранено" in replies[-2] and "Новое &lt;значение&gt; &amp; Co" in replies[-2]
    assert await count(sessionmaker, model) == before + 1
    async with sessionmaker() as session:
        item = await session.scalar(select(model).where(model.name == "Новое <значение> & Co"))  # type: ignore[attr-defined]
        assert item is not None and item.is_active
        item_id = item.id

    replies = await boss.click("Переименовать")
    assert "Сейчас" in replies[-1]
    replies = await boss.send(existing_name.lower())
    assert "Такое значение уже есть" in replies[-1]
    replies = await boss.send("Переименованное значение")
    assert "Сохранено" in replies[-2]
    assert (await row(sessionmaker, model, item_id)).name == "Переименованное значение"

    replies = await boss.click("Отключить")
    assert "Отключено" in replies[0]
    assert not (await row(sessionmaker, model, item_id)).is_active
    await boss.click("К списку")
    while "Переименованное значение (откл.)" not in boss.buttons():
        await boss.click("Далее")
    await boss.click("Переименованное значение")
    await boss.click("Включить")
    assert (await row(sessionmaker, model, item_id)).is_active
    assert await count(sessionmaker, model) == before + 1

    admin_id = (await user_by_tg(sessionmaker, 111_000_111)).id
    entries = await audit(sessionmaker, entity, item_id)
    assert [e.action for e in entries] == ["created", "renamed", "deactivated", "activated"]
    assert all(e.actor_id == admin_id for e in entries)
    assert '"Переименованное значение"' in (entries[1].after or "")


async def test_non_admin_sees_no_admin_buttons_and_forged_presses_change_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    manager = harness.user(MANAGER)
    await manager.send("/settings")
    assert not any("Справочники" in b or "Сотрудники" in b for b in manager.buttons())

    stage = await stage_by_code(sessionmaker, "negotiation")
    group = await row(sessionmaker, ProductGroup, 1)
    forged = [
        SettingsCb(action="dirs").pack(),
        DirCb(action="list", kind="stg").pack(),
        DirCb(action="off", kind="stg", id=stage.id).pack(),
        DirCb(action="up", kind="stg", id=stage.id).pack(),
        DirCb(action="pset", kind="stg", id=stage.id, arg=1).pack(),
        DirCb(action="off", kind="grp", id=group.id).pack(),
        DirCb(action="add", kind="ind").pack(),
        DirCb(action="ren", kind="grp", id=group.id).pack(),
    ]
    for data in forged:
        replies = await manager.press(data)
        assert replies == ["Эта команда доступна только администраторам."]
    replies = await manager.send("Новая отрасль")
    assert not any("Сохранено" in r for r in replies)

    assert (await row(sessionmaker, Stage, stage.id)).is_active
    assert (await row(sessionmaker, Stage, stage.id)).period_months is None
    assert (await row(sessionmaker, Stage, stage.id)).position == stage.position
    assert (await row(sessionmaker, ProductGroup, group.id)).is_active
    assert await count(sessionmaker, Industry, Industry.name == "Новая отрасль") == 0
    for entity in ("stage", "product_group", "industry"):
        assert await audit(sessionmaker, entity) == []


async def test_name_must_be_text_and_back_returns_to_list(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    before = await count(sessionmaker, Industry)
    await _open_directory(harness, "Отрасли")
    await boss.click("Добавить")
    replies = await boss.send_document("list.pdf")
    assert "Напишите название текстом" in replies[-1]
    replies = await boss.click("Назад")
    assert "Отрасли" in replies[-1]
    replies = await boss.send("Какая-то отрасль")
    assert not any("Сохранено" in r for r in replies)
    assert await count(sessionmaker, Industry) == before


async def test_product_is_unique_within_its_group_only(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    await boss.send("/settings")
    await boss.click("Справочники")
    await boss.click("Товары")
    await boss.click("Услуги")
    await boss.click("Добавить")
    replies = await boss.send("обучение ПЕРСОНАЛА")
    assert "Такое значение уже есть" in replies[-1]
    replies = await boss.send("Сканер штрихкодов")  # exists in «Оборудование», not in «Услуги»
    assert "Сохранено" in replies[-2]
    async with sessionmaker() as session:
        groups = list(
            await session.scalars(select(Product.group_id).where(Product.name == "Сканер штрихкодов"))
        )
    assert len(groups) == 2


async def test_deactivated_stage_cannot_be_chosen_and_old_deal_stays_correct(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    contact_id, old_lead = await open_lead(sessionmaker, manager_id)
    old_deal = await insert_deal(sessionmaker, manager_id, contact_id, old_lead, stage_code="negotiation")
    await open_lead(
        sessionmaker, manager_id, name="Смирнова Ольга", phone="+79217654321", email="smirnova@yandex.ru"
    )

    await _open_directory(harness, "Этапы воронки")
    await boss.click("Переговоры")
    await boss.click("Отключить")
    negotiation = await stage_by_code(sessionmaker, "negotiation")
    assert not negotiation.is_active

    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    await manager.click("Смирнова")
    await manager.click("Оборудование")
    await manager.click("Сканер штрихкодов")
    await manager.send("150 000")
    replies = await manager.click("Готово")
    assert "Шаг 4" in replies[-1]
    offered = manager.buttons()
    assert any("Квалификация" in b for b in offered)
    assert not any("Переговоры" in b for b in offered)
    replies = await manager.press(PickCb(field="stage", id=negotiation.id).pack())
    assert "устарела" in replies[-1]
    assert "Переговоры" not in await open_stage_names(sessionmaker)

    async with sessionmaker() as session:
        deal = await deals_repo.get_deal(session, old_deal)
        assert deal is not None
        assert deal_state(deals_repo.snapshot(deal), utcnow(), 2, DEFAULT_COMMENT_POLICY).correct
    replies = await manager.send("/deals")
    await manager.click("Иванов")
    card = manager.last
    assert "Этап: Переговоры" in card and "корректно" in card
    assert (await row(sessionmaker, Deal, old_deal)).stage_id == negotiation.id


async def test_outcomes_and_the_last_pipeline_stage_cannot_be_switched_off(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    won = await stage_by_code(sessionmaker, "won")
    replies = await boss.press(DirCb(action="off", kind="stg", id=won.id).pack())
    assert "Итоги сделки" in replies[-1]
    replies = await boss.press(DirCb(action="up", kind="stg", id=won.id).pack())
    assert "Итоги сделки" in replies[-1]
    assert (await row(sessionmaker, Stage, won.id)).is_active

    async with sessionmaker() as session:
        open_ids = list(
            await session.scalars(select(Stage.id).where(Stage.kind == "open").order_by(Stage.position))
        )
    for stage_id in open_ids[1:]:
        await boss.press(DirCb(action="off", kind="stg", id=stage_id).pack())
    replies = await boss.press(DirCb(action="off", kind="stg", id=open_ids[0]).pack())
    assert "последний активный этап" in replies[-1]
    assert (await row(sessionmaker, Stage, open_ids[0])).is_active
    assert len(await open_stage_names(sessionmaker)) == 1


async def test_reorder_stages_swaps_neighbours(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    first, second, *_ = await open_stage_names(sessionmaker)
    await _open_directory(harness, "Этапы воронки")
    await boss.click(first)
    replies = await boss.click("Выше")
    assert "уже крайний" in replies[-1]
    replies = await boss.click("Ниже")
    assert "Порядок этапов изменён" in replies[0]
    names = await open_stage_names(sessionmaker)
    assert names[:2] == [second, first]
    assert boss.buttons()[:2] == [second, first]

    await boss.click(first)
    await boss.click("Выше")
    assert (await open_stage_names(sessionmaker))[:2] == [first, second]
    entries = await audit(sessionmaker, "stage")
    assert [e.action for e in entries] == ["reordered", "reordered"]


async def test_r2h_stage_period_one_month_moves_the_deadline(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    contact_id, lead_id = await open_lead(sessionmaker, manager_id)
    deal_id = await insert_deal(
        sessionmaker, manager_id, contact_id, lead_id, last_qualifying_at=utcnow() - timedelta(days=45)
    )
    manager = harness.user(MANAGER)
    await manager.send("/deals")
    await manager.click("Иванов")
    assert "🟢 Активна" in manager.last

    await _open_directory(harness, "Этапы воронки")
    await boss.click("Выявление потребности")
    replies = await boss.click("Срок неактивности")
    assert "от 1 до 2" in replies[-1]
    assert any("По умолчанию (2 мес.)" in b for b in boss.buttons())
    assert not any(b.startswith("3 мес") for b in boss.buttons())
    replies = await boss.click("1 мес.")
    assert "1 мес. (свой для этапа)" in replies[-1]
    assert (await stage_by_code(sessionmaker, "identification")).period_months == 1

    await manager.send("/deals")
    await manager.click("Иванов")
    assert "💤 Неактивна" in manager.last
    async with sessionmaker() as session:
        deal = await deals_repo.get_deal(session, deal_id)
        assert deal is not None
        assert not deal_state(deals_repo.snapshot(deal), utcnow(), 2, DEFAULT_COMMENT_POLICY).active

    replies = await boss.press(DirCb(action="pset", kind="stg", id=deal.stage_id, arg=3).pack())
    assert "от 1 до 2" in replies[-1]
    assert (await stage_by_code(sessionmaker, "identification")).period_months == 1

    await boss.click("Срок неактивности")
    await boss.click("По умолчанию")
    assert (await stage_by_code(sessionmaker, "identification")).period_months is None
    entries = await audit(sessionmaker, "stage", deal.stage_id)
    assert [e.action for e in entries] == ["period_changed", "period_changed"]
    assert entries[0].before == '{"period_months": null}' and entries[0].after == '{"period_months": 1}'
