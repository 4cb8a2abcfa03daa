"""/new_deal: a lead with a qualifying interaction becomes a deal (R1c, R1d, R2d, R2f, R2i, R3d).

The form is a dialog: the lead comes from the shared lead picker, the product group from the lead, the
first stage and the lead's manager are the defaults, and the qualifying call's comment is offered as the
deal's comment; every field can be changed on the summary.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import LeadCb
from bot.settings import Settings
from db.engine import writing
from db.models import AuditEntry, Deal, Interaction, Lead, Product, ProductGroup, Stage
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
    set_lead_group,
    stage_id,
)
from tests.harness import Harness, first_line, t, tp

OFFERED = "Обсудили потребность склада в сканерах. Отправляем коммерческое предложение до пятницы"
DENIED = tp("access-denied")


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


async def test_happy_path_lead_with_qualifying_call_becomes_deal(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    called_at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    setup = await convertible_lead(sessionmaker, occurred_at=called_at)
    manager = harness.user(MANAGER)

    replies = await manager.send("/new_deal")
    assert first_line("pick-lead-title-deal") in replies[-1]
    replies = await manager.click("Иванов")
    assert first_line("deal-ask-group", contact="Иванов Иван Иванович") in replies[-1]
    replies = await manager.click("Оборудование")
    assert first_line("deal-ask-product", lines="") in replies[-1]
    await manager.click("Сканер штрихкодов")
    replies = await manager.send("150 000")
    summary = plain(replies[-1])
    # The first stage is the default, the lead's manager is responsible, the call's comment is offered.
    assert first_line("deal-summary", contact="") in summary and "150 000" in summary
    assert "Выявление потребности" in summary and "Иван Петров" in summary
    assert OFFERED in summary and t("deal-comment-offered") in summary
    await manager.click(tp("deal-btn-more-product"))
    await manager.click("Терминал сбора данных")
    replies = await manager.send("1,5 млн")
    assert "1 650 000" in plain(replies[-1])
    assert await count(sessionmaker, Deal) == 0

    replies = await manager.click(tp("btn-save"))
    card = plain(replies[-1])
    assert t("deal-saved-title") in card and "Иванов Иван Иванович" in card and "1 650 000 ₽" in card
    assert "Выявление потребности" in card and "Ответственный: Иван Петров" in card

    [deal] = await deals(sessionmaker)
    assert deal.lead_id == setup.lead_id and deal.contact_id == setup.contact_id
    assert deal.party_key == f"contact:{setup.contact_id}" and deal.status == "open"
    assert deal.responsible_id == setup.manager_id and deal.comment == OFFERED
    assert deal.stage_id == await stage_id(sessionmaker, "identification")
    assert deal.last_qualifying_at == called_at
    assert sorted(line.amount_minor for line in await lines_of(sessionmaker, deal.id)) == [
        15_000_000,
        150_000_000,
    ]
    assert await lead_status(sessionmaker, setup.lead_id) == "converted"
    assert await audit_actions(sessionmaker, "deal", deal.id) == ["created"]
    assert await audit_actions(sessionmaker, "lead", setup.lead_id) == ["converted"]
    # The form is over: text is no longer taken as an answer.
    assert t("stray-message") in await manager.send("150000")


async def test_a_deal_from_a_lead_with_one_product_takes_at_most_five_actions(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Issue item 7: from /new_deal, and from «💼 Сделка» on the lead card, each tap and each typed message
    counts as one action. The lead's product group, the first stage and the call's comment are pre-filled."""
    first = await convertible_lead(sessionmaker)
    await set_lead_group(sessionmaker, first.lead_id, "Оборудование")
    manager = harness.user(MANAGER)
    actions = [
        lambda: manager.send("/new_deal"),
        lambda: manager.click("Иванов"),
        lambda: manager.click("Сканер штрихкодов"),
        lambda: manager.send("150000"),
        lambda: manager.click(tp("btn-save")),
    ]
    for action in actions:
        replies = await action()
    assert len(actions) <= 5
    assert t("deal-saved-title") in replies[-1]
    [deal] = await deals(sessionmaker)
    assert deal.product_group_id == await group_id(sessionmaker, "Оборудование")
    assert deal.stage_id == await stage_id(sessionmaker, "identification") and deal.comment == OFFERED

    second = await convertible_lead(sessionmaker, other_contact=True, description="Второй лид")
    await set_lead_group(sessionmaker, second.lead_id, "Услуги")
    await manager.press(LeadCb(action="open", id=second.lead_id).pack())  # the lead card is where we start
    taps = [
        lambda: manager.click(tp("lead-btn-convert")),
        lambda: manager.click("Монтаж"),
        lambda: manager.send("40к"),
        lambda: manager.click(tp("btn-save")),
    ]
    for action in taps:
        replies = await action()
    assert len(taps) <= 5
    assert t("deal-saved-title") in replies[-1]
    assert await lead_status(sessionmaker, second.lead_id) == "converted"


async def test_r1d_lead_without_qualifying_interaction_is_refused_with_reason(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
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
    replies = await manager.click("Иванов")
    assert first_line("err-lead-no-qualifying-interaction") in replies[-1]
    assert tp("deal-btn-pick-lead") in manager.buttons()
    # Typed text is not taken for anything here.
    assert t("deal-use-buttons") in (await manager.send("Оборудование"))[-1]
    assert await count(sessionmaker, Deal) == 0
    assert await lead_status(sessionmaker, setup.lead_id) == "open"
    # «Выбрать лид» opens the picker again.
    replies = await manager.click(tp("deal-btn-pick-lead"))
    assert first_line("pick-lead-title-deal") in replies[-1]

    # The lead card's «💼 Сделка» (an old message's button too) gives one alert and starts nothing.
    await manager.send("/menu")
    replies = await manager.press(LeadCb(action="convert", id=setup.lead_id).pack())
    assert replies == [tp("deal-lead-refused-no-qualifying-interaction")]
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
    for text, key in (
        ("0", "err-amount-not-positive"),
        ("-5", "err-amount-not-positive"),
        ("много", "err-amount-format"),
    ):
        replies = await manager.send(text)
        assert (
            t(key) in replies[-1]
            and first_line("deal-ask-amount", product="Сканер штрихкодов") in replies[-1]
        )
        assert await count(sessionmaker, Deal) == 0
    replies = await manager.send("150к")
    assert "150 000" in plain(replies[-1]) and t(key) not in replies[-1]
    assert tp("btn-save") in manager.buttons()


async def test_r2f_products_are_replaced_or_added_from_the_summary(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await reach_summary(manager)
    # «✏️ Товары» starts the lines over; «Назад» before a new line keeps the old ones.
    await manager.click(tp("deal-btn-edit-lines"))
    replies = await manager.click(tp("btn-back"))
    assert "Сканер штрихкодов" in replies[-1]
    await manager.click(tp("deal-btn-edit-lines"))
    await manager.click("Терминал сбора данных")
    replies = await manager.send("300000")
    summary = plain(replies[-1])
    assert "Терминал сбора данных — 300 000" in summary and "Сканер" not in summary
    await manager.click(tp("btn-save"))
    [deal] = await deals(sessionmaker)
    assert [line.amount_minor for line in await lines_of(sessionmaker, deal.id)] == [30_000_000]


async def test_r3d_filler_comment_is_refused_and_the_step_stays(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    words = settings.comment_policy.min_words
    replies = await reach_summary(manager, comment="думает")
    assert first_line("err-comment-stop-phrase", phrase="думает", min_words=words) in replies[-1]
    replies = await manager.send("ок")
    assert first_line("err-comment-stop-phrase", phrase="ок", min_words=words) in replies[-1]
    replies = await manager.send("Бюджет склада")
    assert first_line("err-comment-too-short", min_words=words, words=2) in replies[-1]
    assert await count(sessionmaker, Deal) == 0
    replies = await manager.send(GOOD_COMMENT)
    assert first_line("deal-summary", contact="") in replies[-1] and GOOD_COMMENT in replies[-1]
    assert t("deal-comment-offered") not in replies[-1]


async def test_non_text_answer_and_a_menu_command_in_the_middle(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    await manager.click("Иванов")
    await manager.click("Оборудование")
    await manager.click("Сканер штрихкодов")
    replies = await manager.share_contact("+79123456789", "Иван")
    assert t("form-err-text-expected") in replies[-1]
    # A command in the middle of the form asks before the answers are lost.
    replies = await manager.send("/deals")
    assert first_line("leave-form-ask", form=tp("deal-form-title"), step=4) in replies[-1]
    replies = await manager.click(tp("leave-form-return", form=tp("deal-form-title"), step=4))
    assert first_line("deal-ask-amount", product="Сканер штрихкодов") in replies[-1]
    await manager.send("/deals")
    replies = await manager.click(tp("leave-form-leave"))
    assert first_line("deal-list", scope="own", filter=t("deal-filter-all"), items="") in replies[-1]
    assert t("stray-message") in await manager.send("150000")
    assert await count(sessionmaker, Deal) == 0


async def test_back_returns_to_the_previous_step_and_cancel_saves_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    await manager.click("Иванов")
    replies = await manager.click(tp("btn-back"))
    assert first_line("pick-lead-title-deal") in replies[-1]
    await manager.click("Иванов")
    await manager.click("Оборудование")
    await manager.click("Сканер штрихкодов")
    replies = await manager.click(tp("btn-back"))
    assert first_line("deal-ask-product", lines="") in replies[-1]
    replies = await manager.click(tp("btn-back"))
    assert first_line("deal-ask-group", contact="Иванов Иван Иванович") in replies[-1]
    await manager.click("Оборудование")
    await manager.click("Терминал сбора данных")
    replies = await manager.send("300000")
    assert "300 000" in plain(replies[-1])

    replies = await manager.click(tp("btn-cancel"))
    assert t("cancelled") in replies
    assert await count(sessionmaker, Deal) == 0
    assert await lead_status(sessionmaker, setup.lead_id) == "open"
    assert t("stray-message") in await manager.send(GOOD_COMMENT)


async def test_typed_text_at_a_choice_step_searches_it(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/new_deal")
    await manager.click("Иванов")
    replies = await manager.send("нет такой группы")
    assert t("deal-search-none", text="нет такой группы") in replies[-1]
    replies = await manager.send("услуг")  # one match: taken
    assert first_line("deal-ask-product", lines="") in replies[-1]
    replies = await manager.send("монтаж")
    assert first_line("deal-ask-amount", product="Монтаж и пусконаладка") in replies[-1]


async def test_summary_change_buttons(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await reach_summary(manager)
    assert tp("deal-btn-edit-responsible") not in manager.buttons()  # a manager keeps the lead's
    await manager.click(tp("deal-btn-edit-stage"))
    replies = await manager.click("Переговоры")
    assert first_line("deal-summary", contact="") in replies[-1] and "Переговоры" in replies[-1]
    await manager.click(tp("deal-btn-edit-comment"))
    replies = await manager.send("Договорились о демонстрации терминалов на складе клиента")
    assert "демонстрации терминалов" in replies[-1]
    await manager.click(tp("deal-btn-edit-group"))
    await manager.click("Услуги")
    await manager.click("Обучение персонала")
    replies = await manager.send("50000")
    summary = plain(replies[-1])
    assert "Услуги" in summary and "Обучение персонала" in summary and "Сканер" not in summary
    await manager.click(tp("btn-save"))
    [deal] = await deals(sessionmaker)
    assert deal.stage_id == await stage_id(sessionmaker, "negotiation")
    assert [line.product_id for line in await lines_of(sessionmaker, deal.id)] == [
        await product_id(sessionmaker, "Обучение персонала")
    ]


async def test_html_in_comment_is_shown_literally(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
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
    assert t("pick-lead-empty") in replies[-1]
    await other.send("/menu")
    replies = await other.press(LeadCb(action="convert", id=setup.lead_id).pack())
    assert replies == [DENIED]
    assert t("stray-message") in await other.send("Оборудование")
    # A forged lead choice inside the user's own picker is refused the same way.
    own = await convertible_lead(sessionmaker, telegram_id=OTHER, other_contact=True)
    await other.send("/new_deal")
    message = harness.messages_to(OTHER)[-1]
    assert message.reply_markup is not None
    data = message.reply_markup.inline_keyboard[0][0].callback_data
    assert data is not None and data.endswith(str(own.lead_id))
    replies = await other.press(data.removesuffix(str(own.lead_id)) + str(setup.lead_id))
    assert replies == [DENIED]
    assert await count(sessionmaker, Deal) == 0
    assert await lead_status(sessionmaker, setup.lead_id) == "open"
    assert await lead_status(sessionmaker, own.lead_id) == "open"


async def test_team_lead_converts_members_lead_and_may_change_the_responsible(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    lead_id = await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Руководитель Сидоров")
    team_lead = harness.user(TEAM_LEAD, first_name="Олег", last_name="Сидоров")
    await harness.user(MANAGER).send("/menu")  # the member's name comes from their Telegram profile
    await team_lead.send("/menu")
    replies = await team_lead.press(LeadCb(action="convert", id=setup.lead_id).pack())
    assert first_line("deal-ask-group", contact="Иванов Иван Иванович") in replies[-1]
    await team_lead.click("Оборудование")
    await team_lead.click("Сканер штрихкодов")
    replies = await team_lead.send("150000")
    assert "Ответственный: Иван Петров" in replies[-1]
    await team_lead.click(tp("deal-btn-edit-responsible"))
    replies = await team_lead.click("Сидоров")
    assert "Ответственный: Олег Сидоров" in replies[-1]
    await team_lead.click(tp("btn-save"))
    [deal] = await deals(sessionmaker)
    assert deal.responsible_id == lead_id and deal.created_by_id == lead_id


async def test_r2i_second_open_deal_for_same_client_and_group_is_refused_showing_existing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    first = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [existing] = await deals(sessionmaker)

    second = await convertible_lead(sessionmaker, contact_id=first.contact_id, description="Термоэтикетки")
    await manager.send("/new_deal")
    await manager.click("Иванов")
    replies = await manager.click("Оборудование")
    assert f"уже есть открытая сделка №{existing.id}" in replies[-1]
    assert first_line("deal-ask-group", contact="Иванов Иван Иванович") in replies[-1]
    replies = await manager.click(tp("deal-btn-open-existing"))
    assert first_line("deal-card-title", id=str(existing.id), status=t("deal-status-open")) in replies[-1]
    assert await count(sessionmaker, Deal) == 1

    # A lead whose own group is taken is not pre-filled with it: the group step says why.
    await set_lead_group(sessionmaker, second.lead_id, "Оборудование")
    await manager.send("/new_deal")
    replies = await manager.click("Иванов")
    assert f"уже есть открытая сделка №{existing.id}" in replies[-1]
    # A different product group is fine.
    await manager.click("Расходные материалы")
    await manager.click("Термоэтикетки")
    await manager.send("30000")
    await manager.click(tp("btn-save"))
    assert await count(sessionmaker, Deal) == 2
    assert await lead_status(sessionmaker, second.lead_id) == "converted"


async def test_r2i_after_the_first_deal_is_lost_a_new_one_is_allowed(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    first = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    await manager.click(tp("deal-btn-lost"))
    await manager.click("Выбрали конкурента")
    await manager.send("Клиент выбрал поставщика с ценой ниже")
    await manager.click(tp("deal-btn-lost-confirm"))
    await convertible_lead(sessionmaker, contact_id=first.contact_id, description="Повторный интерес")
    await new_deal(harness, manager)
    statuses = [deal.status for deal in await deals(sessionmaker)]
    assert statuses == ["lost", "open"]


async def test_r2i_duplicate_found_at_save_gives_the_same_message(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The group was free when chosen; another deal took it before the save."""
    first = await convertible_lead(sessionmaker)
    await convertible_lead(sessionmaker, contact_id=first.contact_id, description="Второй лид по сканерам")
    manager = harness.user(MANAGER)
    await reach_summary(manager, lead="№2")
    blocking = await insert_deal(sessionmaker, first)  # the first lead became a deal meanwhile
    replies = await manager.click(tp("btn-save"))
    assert f"уже есть открытая сделка №{blocking}" in replies[-1]
    assert tp("deal-btn-open-existing") in manager.buttons()
    assert await count(sessionmaker, Deal) == 1
    # Still on the summary: another group can be chosen and saved.
    await manager.click(tp("deal-btn-edit-group"))
    await manager.click("Услуги")
    await manager.click("Монтаж")
    await manager.send("40000")
    await manager.click(tp("btn-save"))
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
    await reach_summary(two)
    results = await asyncio.gather(one.click(tp("btn-save")), two.click(tp("btn-save")))
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
    await reach_summary(manager)
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
    field = {"stage": "stage", "group": "product_group", "product": "product_lines"}[switched_off]
    replies = await manager.click(tp("btn-save"))
    assert t("deal-choice-inactive", field=tp(f"field-{field}")) in replies[-1]
    assert await count(sessionmaker, Deal) == 0


async def test_an_english_user_sees_the_form_in_english(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER, language_code="en")
    replies = await reach_summary(manager, group="Equipment", product="Barcode scanner")
    summary = replies[-1]
    assert first_line("deal-summary", "en", contact="") in summary
    assert "Lead identification" in summary and t("deal-comment-offered", "en") in summary
    assert "Equipment" in summary and "Barcode scanner" in summary and "Оборудование" not in summary
    replies = await manager.click(tp("btn-save", "en"))
    assert t("deal-saved-title", "en") in replies[-1] and "Lead identification" in replies[-1]
