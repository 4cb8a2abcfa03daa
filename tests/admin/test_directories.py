"""/settings → «📚 Справочники»: admins add, rename, switch off and on directory values; stages are reordered
and get their own inactivity period (R2h). Deactivated values stay valid on old records but are not offered.
Seeded values have an English name; what people typed reads the same in both languages.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import SettingsCb
from db.base import utcnow
from db.engine import writing
from db.models import (
    BusinessRegion,
    Deal,
    Industry,
    LeadSource,
    LostReason,
    Product,
    ProductGroup,
    RefusalReason,
    Stage,
    User,
)
from db.repo import deals as deals_repo
from db.repo import directories as repo
from db.repo.directories import Kind, display_name
from domain.comments import DEFAULT_COMMENT_POLICY
from domain.deals import deal_state
from tests.admin.helpers import (
    admin,
    audit,
    count,
    dialog_button,
    insert_deal,
    open_lead,
    open_stage_names,
    row,
    stage_by_code,
    user_by_tg,
)
from tests.conftest import ADMIN_ID
from tests.factories import make_user
from tests.harness import Harness, TgUser, first_line, t, tp

MANAGER = 701
CYRILLIC = re.compile("[А-Яа-яЁё]")

# (directory code, model, an existing value, the directory's audit entity)
KINDS = [
    ("ind", Industry, None, "industry"),
    ("reg", BusinessRegion, None, "business_region"),
    ("grp", ProductGroup, "Оборудование", "product_group"),
    ("prd", Product, "Сканер штрихкодов", "product"),
    ("src", LeadSource, "Сайт", "lead_source"),
    ("stg", Stage, "Переговоры", "stage"),
    ("los", LostReason, "Дорого", "lost_reason"),
    ("ref", RefusalReason, "Нецелевой", "refusal_reason"),
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


async def _open_directory(boss: TgUser, kind: str, lang: str = "ru") -> list[str]:
    await boss.send("/settings")
    await boss.click(tp("admin-btn-directories", lang))
    replies = await boss.click(tp(f"dir-kind-{kind}", lang))
    if kind == "prd":
        replies = await boss.click("Оборудование" if lang == "ru" else "Equipment")
    return replies


@pytest.mark.parametrize(("kind", "model", "existing", "entity"), KINDS, ids=[k[3] for k in KINDS])
async def test_add_rename_deactivate_activate_each_directory(
    harness: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    kind: str,
    model: type,
    existing: str | None,
    entity: str,
) -> None:
    boss = await admin(harness)
    existing_name = await _existing_name(sessionmaker, model, existing)
    before = await count(sessionmaker, model)
    await _open_directory(boss, kind)

    replies = await boss.click(tp("dir-btn-add"))
    prompt = t("dir-ask-new-name", kind=kind, min=2, max=100)
    assert prompt in replies[-1] and "<code>" in replies[-1]
    replies = await boss.send("Я")
    assert t("dir-name-too-short", min=2) in replies[-1] and prompt in replies[-1]
    replies = await boss.send("x" * 101)
    assert t("dir-name-too-long", max=100) in replies[-1]
    replies = await boss.send("  " + existing_name.upper() + " ")
    assert t("dir-name-taken", name=existing_name) in replies[-1]
    assert await count(sessionmaker, model) == before

    replies = await boss.send("Новое <значение> & Co")
    assert t("dir-saved", name="Новое <значение> & Co") in replies[-1]
    assert "Новое &lt;значение&gt; &amp; Co" in replies[-1]
    assert await count(sessionmaker, model) == before + 1
    async with sessionmaker() as session:
        item = await session.scalar(select(model).where(model.name == "Новое <значение> & Co"))  # type: ignore[attr-defined]
        assert item is not None and item.is_active and item.name_en is None
        item_id = item.id

    replies = await boss.click(tp("dir-btn-rename"))
    assert (
        first_line("dir-ask-rename", kind=kind, current="Новое <значение> & Co", min=2, max=100)
        in replies[-1]
    )
    replies = await boss.send(existing_name.lower())
    assert first_line("dir-name-taken", name=existing_name) in replies[-1]
    replies = await boss.send("Переименованное значение")
    assert t("dir-saved", name="Переименованное значение") in replies[-1]
    assert (await row(sessionmaker, model, item_id)).name == "Переименованное значение"

    replies = await boss.click(tp("dir-btn-off"))
    assert t("dir-deactivated") in replies[-1] and t("dir-status-off") in replies[-1]
    assert not (await row(sessionmaker, model, item_id)).is_active
    await boss.click(tp("dir-btn-to-list"))
    while "Переименованное значение (откл.)" not in boss.buttons():
        await boss.click(tp("btn-next"))
    await boss.click("Переименованное значение")
    replies = await boss.click(tp("dir-btn-on"))
    assert t("dir-activated") in replies[-1]
    assert (await row(sessionmaker, model, item_id)).is_active
    assert await count(sessionmaker, model) == before + 1

    admin_id = (await user_by_tg(sessionmaker, ADMIN_ID)).id
    entries = await audit(sessionmaker, entity, item_id)
    assert [e.action for e in entries] == ["created", "renamed", "deactivated", "activated"]
    assert all(e.actor_id == admin_id for e in entries)
    assert '"Переименованное значение"' in (entries[1].after or "")


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("kind", [k[0] for k in KINDS])
async def test_name_prompts_are_grammatical_and_render_their_markup(
    harness: Harness, kind: str, lang: str
) -> None:
    """The prompt names the directory in the right form («название новой отрасли», «the new industry») and
    its example is real markup, never the escaped «&lt;code&gt;» of the old prompt."""
    expected = {
        "ru": {
            "ind": "название новой отрасли",
            "reg": "название нового бизнес-региона",
            "grp": "название новой группы товаров",
            "prd": "название нового товара",
            "src": "название нового источника лидов",
            "stg": "название нового этапа воронки",
            "los": "название новой причины проигрыша",
            "ref": "название новой причины отказа",
        },
        "en": {
            "ind": "name of the new industry",
            "reg": "name of the new business region",
            "grp": "name of the new product group",
            "prd": "name of the new product",
            "src": "name of the new lead source",
            "stg": "name of the new pipeline stage",
            "los": "name of the new lost-deal reason",
            "ref": "name of the new lead refusal reason",
        },
    }
    boss = harness.user(ADMIN_ID, language_code=lang)
    await boss.send("/menu")
    await _open_directory(boss, kind, lang)
    replies = await boss.click(tp("dir-btn-add", lang))
    assert expected[lang][kind] in replies[-1]
    assert "<code>" in replies[-1] and "&lt;" not in replies[-1]
    if lang == "en":
        assert not CYRILLIC.search(replies[-1])


async def test_non_admin_sees_no_admin_buttons_and_forged_presses_change_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    manager = harness.user(MANAGER)
    await manager.send("/settings")
    assert not any(tp("admin-btn-directories") in b or tp("admin-btn-team") in b for b in manager.buttons())
    replies = await manager.press(SettingsCb(action="dirs").pack())
    assert not any(tp("admin-btn-directories") in b for b in manager.buttons())

    # The admin's directory buttons, pressed in the manager's chat, obey nothing.
    boss = await admin(harness)
    await _open_directory(boss, "stg")
    await boss.click("Переговоры")
    stage = await stage_by_code(sessionmaker, "negotiation")
    for widget in ("off", "up", "months:1", "rename"):
        replies = await manager.press(dialog_button(harness, ADMIN_ID, widget))
        assert replies == [tp("button-stale")]

    # An admin demoted while the dialog is open is refused at the next press (ADMIN_IDS admins are promoted
    # back at their next message, so this is an admin appointed in the bot).
    second_id = await make_user(sessionmaker, 702, role="admin", team=None, full_name="Борис Второй")
    second = harness.user(702, first_name="Борис", last_name="Второй")
    await _open_directory(second, "stg")
    await second.click("Переговоры")
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == second_id).values(role="manager"))
    for widget in ("off", "up", "rename", "months:1"):
        replies = await second.press(dialog_button(harness, 702, widget))
        assert replies == [tp("admin-only")]
    replies = await second.send("Новая отрасль")
    assert not any("Новая отрасль" in r for r in replies)

    fresh = await row(sessionmaker, Stage, stage.id)
    assert fresh.is_active and fresh.period_months is None and fresh.position == stage.position
    assert await count(sessionmaker, Industry, Industry.name == "Новая отрасль") == 0
    for entity in ("stage", "product_group", "industry"):
        assert await audit(sessionmaker, entity) == []


async def test_name_must_be_text_and_back_returns_to_list(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    before = await count(sessionmaker, Industry)
    await _open_directory(boss, "ind")
    await boss.click(tp("dir-btn-add"))
    replies = await boss.send_document("list.pdf")
    assert t("dir-name-need-text") in replies[-1]
    replies = await boss.click(tp("btn-back"))
    assert t("dir-list-title", kind=tp("dir-kind-ind")) in replies[-1]
    replies = await boss.send("Какая-то отрасль")
    assert not any(first_line("dir-saved", name="Какая-то отрасль") in r for r in replies)
    assert await count(sessionmaker, Industry) == before


async def test_product_is_unique_within_its_group_only(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    await boss.send("/settings")
    await boss.click(tp("admin-btn-directories"))
    await boss.click(tp("dir-kind-prd"))
    replies = await boss.click("Услуги")
    assert t("dir-list-products", group="Услуги") in replies[-1]
    await boss.click(tp("dir-btn-add"))
    replies = await boss.send("обучение ПЕРСОНАЛА")
    assert t("dir-name-taken", name="Обучение персонала") in replies[-1]
    replies = await boss.send("Сканер штрихкодов")  # exists in «Оборудование», not in «Услуги»
    assert t("dir-saved", name="Сканер штрихкодов") in replies[-1]
    async with sessionmaker() as session:
        groups = list(
            await session.scalars(select(Product.group_id).where(Product.name == "Сканер штрихкодов"))
        )
    assert len(groups) == 2


async def test_deactivated_stage_is_not_offered_and_old_deal_stays_correct(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    contact_id, old_lead = await open_lead(sessionmaker, manager_id)
    old_deal = await insert_deal(sessionmaker, manager_id, contact_id, old_lead, stage_code="negotiation")

    await _open_directory(boss, "stg")
    await boss.click("Переговоры")
    await boss.click(tp("dir-btn-off"))
    negotiation = await stage_by_code(sessionmaker, "negotiation")
    assert not negotiation.is_active
    assert "Переговоры" not in await open_stage_names(sessionmaker)

    async with sessionmaker() as session:
        offered = [stage.id for stage in await repo.open_stages(session)]
        assert negotiation.id not in offered and offered
        deal = await deals_repo.get_deal(session, old_deal)
        assert deal is not None and deal.stage_id == negotiation.id
        assert deal_state(deals_repo.snapshot(deal), utcnow(), 2, DEFAULT_COMMENT_POLICY).correct
    assert (await row(sessionmaker, Deal, old_deal)).stage_id == negotiation.id


async def test_outcomes_and_the_last_pipeline_stage_cannot_be_switched_off(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    await _open_directory(boss, "stg")
    replies = await boss.click("Успешно реализовано")
    assert t("dir-stage-outcome-note") in replies[-1]
    assert tp("dir-btn-off") not in boss.buttons() and tp("dir-btn-up") not in boss.buttons()
    won = await stage_by_code(sessionmaker, "won")
    for widget in ("off", "up", "period"):  # forged presses of buttons the window does not show
        replies = await boss.press(dialog_button(harness, ADMIN_ID, widget))
        assert replies == [tp("dir-stage-outcome-fixed")]
    assert (await row(sessionmaker, Stage, won.id)).is_active

    admin_id = (await user_by_tg(sessionmaker, ADMIN_ID)).id
    async with sessionmaker() as session:
        open_ids = list(
            await session.scalars(select(Stage.id).where(Stage.kind == "open").order_by(Stage.position))
        )
        for stage_id in open_ids[1:]:
            await repo.set_active(session, admin_id, Kind.STAGE, stage_id, False)
    first = (await open_stage_names(sessionmaker))[0]
    await boss.click(tp("dir-btn-to-list"))
    await boss.click(first)
    replies = await boss.click(tp("dir-btn-off"))
    assert replies[-1] == tp("dir-stage-last-active")
    assert (await row(sessionmaker, Stage, open_ids[0])).is_active
    assert len(await open_stage_names(sessionmaker)) == 1


async def test_reorder_stages_swaps_neighbours(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    first, second, *_ = await open_stage_names(sessionmaker)
    await _open_directory(boss, "stg")
    await boss.click(first)
    replies = await boss.click(tp("dir-btn-up"))
    assert t("dir-stage-edge") in replies[-1]
    replies = await boss.click(tp("dir-btn-down"))
    assert t("dir-reordered") in replies[-1] and t("dir-stage-hint") in replies[-1]
    names = await open_stage_names(sessionmaker)
    assert names[:2] == [second, first]
    assert boss.buttons()[:2] == [second, first]

    await boss.click(first)
    await boss.click(tp("dir-btn-up"))
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
    async with sessionmaker() as session:
        deal = await deals_repo.get_deal(session, deal_id)
        assert deal is not None
        assert deal_state(deals_repo.snapshot(deal), utcnow(), 2, DEFAULT_COMMENT_POLICY).active

    await _open_directory(boss, "stg")
    await boss.click("Выявление потребности")
    replies = await boss.click(tp("dir-btn-period"))
    assert first_line("dir-ask-period", name="Выявление потребности", max=2) in replies[-1]
    assert "от 1 до 2" in replies[-1]
    assert tp("dir-btn-period-default", months=2) in boss.buttons()
    assert not any(b.startswith("3 мес") for b in boss.buttons())
    replies = await boss.click(tp("dir-period-months", months=1))
    assert t("dir-period-own", months=1) in replies[-1] and t("dir-period-saved") in replies[-1]
    assert (await stage_by_code(sessionmaker, "identification")).period_months == 1
    async with sessionmaker() as session:
        deal = await deals_repo.get_deal(session, deal_id)
        assert deal is not None
        assert not deal_state(deals_repo.snapshot(deal), utcnow(), 2, DEFAULT_COMMENT_POLICY).active

    await boss.click(tp("dir-btn-period"))
    replies = await boss.press(dialog_button(harness, ADMIN_ID, "months:3"))  # beyond the default
    assert replies == [tp("button-stale")]
    assert (await stage_by_code(sessionmaker, "identification")).period_months == 1

    await boss.click(tp("dir-btn-period-default", months=2))
    assert (await stage_by_code(sessionmaker, "identification")).period_months is None
    entries = await audit(sessionmaker, "stage", deal.stage_id)
    assert [e.action for e in entries] == ["period_changed", "period_changed"]
    assert entries[0].before == '{"period_months": null}' and entries[0].after == '{"period_months": 1}'


async def test_seeded_values_have_english_names_and_typed_ones_read_as_typed(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """An English admin sees no Russian but what people typed; renaming a seeded value replaces its name in
    both languages."""
    async with sessionmaker() as session:
        models = (
            ProductGroup,
            Product,
            LeadSource,
            Stage,
            Industry,
            BusinessRegion,
            LostReason,
            RefusalReason,
        )
        for model in models:
            missing = await session.scalar(select(model.name).where(model.name_en.is_(None)))
            assert missing is None, f"{model.__name__}: «{missing}» has no English name"
        stage = await session.scalar(select(Stage).where(Stage.code == "negotiation"))
        assert stage is not None
        assert display_name(stage, "en") == "Negotiation" and display_name(stage, "ru") == "Переговоры"

    boss = harness.user(ADMIN_ID, language_code="en")
    await boss.send("/menu")
    for kind in ("ind", "reg", "grp", "prd", "src", "stg", "los", "ref"):
        await _open_directory(boss, kind, "en")
        assert not any(CYRILLIC.search(reply) for reply in boss.replies()), boss.replies()
        assert not any(CYRILLIC.search(button) for button in boss.buttons()), boss.buttons()
    await _open_directory(boss, "src", "en")
    await boss.click("Website")
    await boss.click(tp("dir-btn-rename", "en"))
    replies = await boss.send("Сайт компании")
    assert t("dir-saved", "en", name="Сайт компании") in replies[-1]
    async with sessionmaker() as session:
        source = await session.scalar(select(LeadSource).where(LeadSource.code == "website"))
        assert source is not None and source.name == "Сайт компании" and source.name_en is None
        assert display_name(source, "en") == display_name(source, "ru") == "Сайт компании"
    await boss.click(tp("dir-btn-to-list", "en"))
    await boss.click(tp("dir-btn-add", "en"))
    replies = await boss.send("referral")  # the English name of a seeded value is taken too
    assert first_line("dir-name-taken", "en", name="Рекомендация") in replies[-1]


async def test_a_name_typed_at_the_list_opens_that_value(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    replies = await _open_directory(boss, "src")
    assert t("dir-search-hint") in replies[-1]
    replies = await boss.send("Ярмарка")
    assert t("dir-search-none") in replies[-1] and t("dir-list-title", kind=tp("dir-kind-src")) in replies[-1]
    replies = await boss.send("  САЙТ ")
    assert t("dir-item-title", kind="src", name="Сайт") in replies[-1]
    assert t("dir-search-none") not in replies[-1]
    replies = await boss.click(tp("dir-btn-to-list"))
    assert t("dir-search-none") not in replies[-1]
    replies = await boss.send("звон")  # a part of two names: «Входящий звонок», «Холодный звонок»
    assert t("dir-search-none") in replies[-1]
    replies = await boss.send("referral")  # the English name of a seeded value
    assert t("dir-item-title", kind="src", name="Рекомендация") in replies[-1]
    assert await audit(sessionmaker, "lead_source") == []
