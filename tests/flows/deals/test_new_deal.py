"""/new_deal: a lead with a qualifying interaction becomes a deal (R1c, R1d, R2d, R2f, R2i, R3d)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import LeadCb
from db.engine import writing
from db.models import AuditEntry, Deal, Lead, Product, ProductGroup, Stage
from db.repo import deals as repo
from domain.access import Actor, Role
from domain.comments import DEFAULT_COMMENT_POLICY
from tests.factories import make_interaction, make_user
from tests.flows.deals.helpers import (
    GOOD_COMMENT,
    MANAGER,
    OTHER,
    TEAM_LEAD,
    audit_actions,
    convertible_lead,
    count,
    deals,
    group_id,
    insert_deal,
    lead_status,
    lines_of,
    new_deal,
    product_id,
    reach_summary,
    stage_id,
)
from tests.harness import Harness


async def test_happy_path_lead_with_qualifying_call_becomes_deal(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    called_at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    setup = await convertible_lead(sessionmaker, occurred_at=called_at)
    manager = harness.user(MANAGER)

    replies = await manager.send("/new_deal")
    assert "Шаг 1" in replies[-1]
    replies = await manager.click("Иванов")
    assert "Шаг 2" in replies[-1] and "Иванов Иван Иванович" in replies[-1]
    replies = await manager.click("Оборудование")
    assert "Шаг 3" in replies[-1]
    await manager.click("Сканер штрихкодов")
    replies = await manager.send("150 000")
    assert "150 000" in replies[-1].replace("\u00a0", " ")
    await manager.click("Ещё товар")
    await manager.click("Терминал сбора данных")
    await manager.send("1,5 млн")
    replies = await manager.click("Готово")
    assert "Шаг 4" in replies[-1]
    replies = await manager.click("Пропустить")
    assert "Шаг 5" in replies[-1]
    replies = await manager.send(GOOD_COMMENT)
    summary = replies[-1].replace("\u00a0", " ")
    assert "Проверьте сделку" in summary and "1 650 000" in summary
    assert await count(sessionmaker, Deal) == 0

    replies = await manager.click("Сохранить")
    card = replies[-1].replace("\u00a0", " ")
    assert "Сделка №" in card and "Иванов Иван Иванович" in card and "1 650 000 ₽" in card
    assert "Выявление потребности" in card and "Ответственный: Иван Петров" in card

    [deal] = await deals(sessionmaker)
    assert deal.lead_id == setup.lead_id and deal.contact_id == setup.contact_id
    assert deal.party_key == f"contact:{setup.contact_id}" and deal.status == "open"
    assert deal.responsible_id == setup.manager_id and deal.comment == GOOD_COMMENT
    assert deal.last_qualifying_at == called_at
    assert sorted(line.amount_minor for line in await lines_of(sessionmaker, deal.id)) == [
        15_000_000,
        150_000_000,
    ]
    assert await lead_status(sessionmaker, setup.lead_id) == "converted"
    assert await audit_actions(sessionmaker, "deal", deal.id) == ["created"]
    assert await audit_actions(sessionmaker, "lead", setup.lead_id) == ["converted"]
    # The form is over: text is no longer taken as an answer.
    assert "Не понял" in (await manager.send("150000"))[-1]


async def test_r1d_lead_without_qualifying_interaction_is_refused_with_reason(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    async with sessionmaker() as session:
        lead = await session.get(Lead, setup.lead_id)
        assert lead is not None
    # Replace the qualifying call by an unanswered call and a reached call with filler only.
    from db.engine import writing
    from db.models import Interaction

    async with writing(sessionmaker) as session:
        row = await session.get(Interaction, setup.interaction_id)
        assert row is not None
        row.outcome = "not_reached"
    # Stored as "qualifying" by mistake, but the comment is not expanded: recomputed, it does not count.
    await make_interaction(
        sessionmaker,
        setup.manager_id,
        lead_id=setup.lead_id,
        discussed="ок",
        agreed="думает",
        qualifying=True,
    )
    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    assert any(label.startswith("🔒") for label in manager.buttons())
    replies = await manager.click("Иванов")
    assert "нельзя превратить в сделку" in replies[-1]
    assert "результативного контакта" in replies[-1]
    # Still on the lead step.
    assert "кнопкой" in (await manager.send("Оборудование"))[-1]
    assert await count(sessionmaker, Deal) == 0
    assert await lead_status(sessionmaker, setup.lead_id) == "open"

    # The lead card's «convert» button gives the same answer and starts nothing.
    replies = await manager.press(LeadCb(action="convert", id=setup.lead_id).pack())
    assert "нельзя превратить в сделку" in replies[-1]
    assert await count(sessionmaker, Deal) == 0


async def test_r2f_every_invalid_amount_is_refused_and_the_step_stays(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    await manager.click("Иванов")
    await manager.click("Оборудование")
    await manager.click("Сканер штрихкодов")
    for text, expected in (
        ("0", "больше нуля"),
        ("-5", "больше нуля"),
        ("много", "Не получается разобрать сумму"),
    ):
        replies = await manager.send(text)
        assert expected in replies[-1], text
        assert await count(sessionmaker, Deal) == 0
    replies = await manager.send("150к")
    assert "150 000" in replies[-1].replace("\u00a0", " ")
    assert "Ещё товар" in manager.buttons()[0]


async def test_r2f_done_without_a_product_line_is_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    await manager.click("Иванов")
    await manager.click("Оборудование")
    replies = await manager.click("Готово")
    assert "хотя бы один товар" in replies[0]
    assert "Шаг 3" in replies[-1]
    await manager.click("Сканер штрихкодов")
    await manager.send("150000")
    replies = await manager.click("Готово")
    assert "Шаг 4" in replies[-1]
    assert await count(sessionmaker, Deal) == 0


async def test_r3d_filler_comment_is_refused_and_the_step_stays(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    replies = await reach_summary(manager, comment="думает")
    assert "не развёрнутый комментарий" in replies[-1]
    replies = await manager.send("ок")
    assert "не развёрнутый комментарий" in replies[-1]
    replies = await manager.send("Бюджет склада")
    assert "Слишком коротко" in replies[-1]
    assert "кнопкой" not in replies[-1]
    assert await count(sessionmaker, Deal) == 0
    replies = await manager.send(GOOD_COMMENT)
    assert "Проверьте сделку" in replies[-1]


async def test_non_text_answer_and_menu_escape(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    await manager.click("Иванов")
    await manager.click("Оборудование")
    await manager.click("Сканер штрихкодов")
    replies = await manager.share_contact("+79123456789", "Иван")
    assert "текстом" in replies[-1]
    replies = await manager.send("/deals")
    assert "Мои сделки" in replies[-1]
    assert "Не понял" in (await manager.send("150000"))[-1]


async def test_back_returns_to_the_previous_step_and_cancel_saves_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    await manager.click("Иванов")
    replies = await manager.click("Назад")
    assert "Шаг 1" in replies[-1]
    await manager.click("Иванов")
    await manager.click("Оборудование")
    await manager.click("Сканер штрихкодов")
    replies = await manager.click("Назад")
    assert "Шаг 3" in replies[-1]
    await manager.click("Терминал сбора данных")
    await manager.send("200000")
    # Back from "more products" takes back the line just added and re-asks its amount.
    replies = await manager.click("Назад")
    assert "Терминал сбора данных" in replies[-1] and "сумму" in replies[-1]
    await manager.send("300000")
    await manager.click("Готово")
    await manager.click("Пропустить")
    replies = await manager.send(GOOD_COMMENT)
    summary = replies[-1].replace("\u00a0", " ")
    assert "300 000" in summary and "200 000" not in summary

    replies = await manager.click("Отмена")
    assert "Действие отменено" in replies[-1]
    assert await count(sessionmaker, Deal) == 0
    assert await lead_status(sessionmaker, setup.lead_id) == "open"
    assert "Не понял" in (await manager.send(GOOD_COMMENT))[-1]


async def test_summary_change_buttons(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await reach_summary(manager)
    await manager.click("Этап")
    replies = await manager.click("Переговоры")
    assert "Проверьте сделку" in replies[-1] and "Переговоры" in replies[-1]
    await manager.click("Комментарий")
    replies = await manager.send("Договорились о демонстрации терминалов на складе клиента")
    assert "демонстрации терминалов" in replies[-1]
    await manager.click("Группа")
    await manager.click("Услуги")
    await manager.click("Обучение персонала")
    await manager.send("50000")
    replies = await manager.click("Готово")
    summary = replies[-1].replace("\u00a0", " ")
    assert "Услуги" in summary and "Обучение персонала" in summary and "Сканер" not in summary
    await manager.click("Сохранить")
    [deal] = await deals(sessionmaker)
    assert [line.product_id for line in await lines_of(sessionmaker, deal.id)] == [
        await product_id(sessionmaker, "Обучение персонала")
    ]


async def test_html_in_comment_is_shown_literally(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker, description="<b>срочно</b> & Co")
    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    assert any("<b>срочно</b>" in label for label in manager.buttons())
    comment = "<b>срочно</b> & Co: клиенту нужны пять сканеров, ждём бюджет"
    replies = await new_deal(harness, manager, comment=comment)
    assert "&lt;b&gt;срочно&lt;/b&gt; &amp; Co: клиенту нужны пять сканеров" in replies[-1]
    [deal] = await deals(sessionmaker)
    assert deal.comment == comment


async def test_r1c_forged_convert_of_another_managers_lead_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    await make_user(sessionmaker, OTHER, team="Продажи Юг")
    other = harness.user(OTHER)
    replies = await other.send("/new_deal")
    assert "нет открытых лидов" in replies[-1]
    await other.send("/menu")
    replies = await other.press(LeadCb(action="convert", id=setup.lead_id).pack())
    assert replies == ["Нет доступа: эта запись закреплена за другим сотрудником. Ничего не изменено."]
    assert "Не понял" in (await other.send("Оборудование"))[-1]
    # A forged lead choice inside someone's own form is refused the same way.
    own = await convertible_lead(sessionmaker, telegram_id=OTHER, other_contact=True)
    await other.send("/new_deal")
    from bot.callbacks import PickCb

    replies = await other.press(PickCb(field="lead", id=setup.lead_id).pack())
    assert replies == ["Нет доступа: эта запись закреплена за другим сотрудником. Ничего не изменено."]
    assert await count(sessionmaker, Deal) == 0
    assert await lead_status(sessionmaker, setup.lead_id) == "open"
    assert await lead_status(sessionmaker, own.lead_id) == "open"


async def test_team_lead_converts_members_lead_and_keeps_member_responsible(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    lead_id = await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Руководитель Сидоров")
    team_lead = harness.user(TEAM_LEAD, first_name="Олег", last_name="Сидоров")
    await harness.user(MANAGER).send("/menu")  # the member's name comes from their Telegram profile
    await team_lead.send("/menu")
    replies = await team_lead.press(LeadCb(action="convert", id=setup.lead_id).pack())
    assert "Шаг 2" in replies[-1]
    await team_lead.click("Оборудование")
    await team_lead.click("Сканер штрихкодов")
    await team_lead.send("150000")
    await team_lead.click("Готово")
    await team_lead.click("Пропустить")
    replies = await team_lead.send(GOOD_COMMENT)
    assert "Шаг 6" in replies[-1] and "Иван Петров" in replies[-1]
    replies = await team_lead.click("Пропустить")
    assert "Ответственный: Иван Петров" in replies[-1]
    await team_lead.click("Ответственный")
    replies = await team_lead.click("Сидоров")
    assert "Ответственный: Олег Сидоров" in replies[-1]
    await team_lead.click("Сохранить")
    [deal] = await deals(sessionmaker)
    assert deal.responsible_id == lead_id and deal.created_by_id == lead_id


async def test_r2i_second_open_deal_for_same_client_and_group_is_refused_showing_existing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    first = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [existing] = await deals(sessionmaker)

    second = await convertible_lead(
        sessionmaker, contact_id=first.contact_id, description="Нужны ещё термоэтикетки"
    )
    await manager.send("/new_deal")
    await manager.click("Нужны ещё")
    replies = await manager.click("Оборудование")
    assert f"уже есть открытая сделка №{existing.id}" in replies[0]
    assert "Открыть существующую сделку" in " ".join(
        b.text
        for m in harness.messages_to(MANAGER)
        for row in (m.reply_markup.inline_keyboard if m.reply_markup else [])
        for b in row
    )
    assert "Шаг 2" in replies[-1]
    replies = await manager.click("Открыть существующую")
    assert f"Сделка №{existing.id}" in replies[-1]
    assert await count(sessionmaker, Deal) == 1

    # A different product group is fine.
    await manager.send("/new_deal")
    await manager.click("Нужны ещё")
    await manager.click("Расходные материалы")
    await manager.click("Термоэтикетки")
    await manager.send("30000")
    await manager.click("Готово")
    await manager.click("Пропустить")
    await manager.send(GOOD_COMMENT)
    await manager.click("Сохранить")
    assert await count(sessionmaker, Deal) == 2
    assert await lead_status(sessionmaker, second.lead_id) == "converted"


async def test_r2i_after_the_first_deal_is_lost_a_new_one_is_allowed(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    first = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    await manager.click("Проиграна")
    await manager.send("Клиент выбрал поставщика с ценой ниже")
    await convertible_lead(
        sessionmaker, contact_id=first.contact_id, description="Повторный интерес к сканерам"
    )
    await new_deal(harness, manager, lead="Повторный")
    statuses = [deal.status for deal in await deals(sessionmaker)]
    assert statuses == ["lost", "open"]


async def test_r2i_duplicate_found_at_save_gives_the_same_message(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The group was free when chosen; another deal took it before the save."""
    first = await convertible_lead(sessionmaker)
    await convertible_lead(sessionmaker, contact_id=first.contact_id, description="Второй лид по сканерам")
    manager = harness.user(MANAGER)
    await reach_summary(manager, lead="Второй лид")
    blocking = await insert_deal(sessionmaker, first)  # the first lead became a deal meanwhile
    replies = await manager.click("Сохранить")
    assert f"уже есть открытая сделка №{blocking}" in replies[-1]
    assert "Открыть существующую" in manager.buttons()[0]
    assert await count(sessionmaker, Deal) == 1
    # Still on the summary: another group can be chosen and saved.
    await manager.click("Группа")
    await manager.click("Услуги")
    await manager.click("Монтаж")
    await manager.send("40000")
    await manager.click("Готово")
    await manager.click("Сохранить")
    assert await count(sessionmaker, Deal) == 2


async def test_r2i_unique_index_refusal_gives_the_same_duplicate_answer(
    sessionmaker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race the read cannot see: the partial unique index refuses, the loser gets ``DuplicateDeal``."""
    first = await convertible_lead(sessionmaker)
    second = await convertible_lead(sessionmaker, contact_id=first.contact_id)
    blocking = await insert_deal(sessionmaker, first)
    real = repo.open_deal_of_party
    calls = {"n": 0}

    async def blind_first_look(session: AsyncSession, party: str, group: int) -> Deal | None:
        calls["n"] += 1
        return None if calls["n"] == 1 else await real(session, party, group)

    monkeypatch.setattr(repo, "open_deal_of_party", blind_first_look)
    draft = repo.DealDraft(
        lead_id=second.lead_id,
        product_group_id=await group_id(sessionmaker, "Оборудование"),
        stage_id=await stage_id(sessionmaker, "identification"),
        comment=GOOD_COMMENT,
        responsible_id=second.manager_id,
        lines=[(await product_id(sessionmaker, "Сканер штрихкодов"), 100)],
    )
    actor = Actor(second.manager_id, Role.MANAGER, None)
    async with sessionmaker() as session:
        with pytest.raises(repo.DuplicateDeal) as refused:
            await repo.convert_lead(session, actor, draft, DEFAULT_COMMENT_POLICY)
    assert refused.value.existing_id == blocking
    assert calls["n"] == 2
    assert await count(sessionmaker, Deal) == 1
    assert await lead_status(sessionmaker, second.lead_id) == "open"
    assert await count(sessionmaker, AuditEntry) == 0


async def test_r2i_race_two_managers_save_at_once_exactly_one_deal(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    first = await convertible_lead(sessionmaker)
    await convertible_lead(
        sessionmaker, telegram_id=OTHER, full_name="Сидорова Анна", contact_id=first.contact_id,
        description="Второй лид по сканерам",
    )  # fmt: skip
    one, two = harness.user(MANAGER), harness.user(OTHER)
    await reach_summary(one)
    await reach_summary(two, lead="Второй лид")
    results = await asyncio.gather(one.click("Сохранить"), two.click("Сохранить"))
    assert await count(sessionmaker, Deal) == 1
    duplicates = [replies for replies in results if any("уже есть открытая сделка" in r for r in replies)]
    assert len(duplicates) == 1
    async with sessionmaker() as session:
        open_leads = await session.scalar(select(Lead.id).where(Lead.status == "open"))
        assert open_leads is not None  # the loser's lead stays open
        created = list(await session.scalars(select(AuditEntry).where(AuditEntry.action == "created")))
        assert len(created) == 1


@pytest.mark.parametrize("switched_off", ["stage", "group", "product"])
async def test_a_choice_switched_off_mid_form_is_refused_at_save(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], switched_off: str
) -> None:
    """Deactivated directory values cannot be chosen for new records, even if picked before they were
    switched off: the save re-checks them and nothing is saved."""
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    await manager.click("Иванов")
    await manager.click("Оборудование")
    await manager.click("Сканер штрихкодов")
    await manager.send("150 000")
    await manager.click("Готово")
    await manager.click("Пропустить")
    await manager.send(GOOD_COMMENT)
    async with writing(sessionmaker) as session:
        if switched_off == "stage":
            row: Stage | ProductGroup | Product | None = await session.get(
                Stage, await stage_id(sessionmaker, "identification")
            )
        elif switched_off == "group":
            row = await session.get(ProductGroup, await group_id(sessionmaker, "Оборудование"))
        else:
            row = await session.get(Product, await product_id(sessionmaker, "Сканер штрихкодов"))
        assert row is not None
        row.is_active = False
    replies = await manager.click("Сохранить")
    assert "отключ" in replies[-1]
    assert await count(sessionmaker, Deal) == 0
