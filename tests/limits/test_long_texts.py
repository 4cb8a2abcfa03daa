"""Long texts through the dispatcher (issue 9, findings 8 and 9).

Each test reproduces a reply that used to become «{???}» (Fluent refuses any argument over 2,500 characters
after HTML escaping), to exceed Telegram's 4,096 characters, or to crash; and checks the length limits of
``domain.limits``: the limit and the current length in the reply, and nothing saved.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from aiogram.methods import SendMessage
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb, LeadCb
from db.engine import writing
from db.models import Deal, DealLine, Interaction, Lead, Product, Task
from db.repo import contacts as contacts_repo
from domain import limits
from domain.access import Actor, Role
from tests.factories import make_contact, make_lead, make_user
from tests.flows.deals.helpers import MANAGER as DEAL_MANAGER
from tests.flows.deals.helpers import convertible_lead, insert_deal, new_deal, reach_summary
from tests.harness import Harness, TgUser, tp

MANAGER, OTHER = 701, 702
SHOW_FULL = "Показать полностью"
TOO_LONG = "Слишком длинно"

_DISCUSSED_WORDS = [
    "клиент",
    "обсуждали",
    "поставку",
    "сканеров",
    "склада",
    "бюджет",
    "договора",
    "терминалов",
    "директор",
    "встречу",
    "расчёт",
    "цены",
    "сроки",
    "монтажа",
    "обучение",
    "сервиса",
    "гарантию",
    "логистики",
    "оплаты",
    "закупки",
    "согласование",
    "объёмов",
]
_AGREED_WORDS = [
    "отправляю",
    "коммерческое",
    "предложение",
    "созвон",
    "понедельник",
    "пятницу",
    "готовлю",
    "смету",
    "подписание",
    "счёта",
    "демонстрацию",
    "пилотного",
    "запуска",
    "менеджеру",
    "юристам",
    "проект",
    "спецификации",
]


def prose(words: Sequence[str], length: int, seed: int, tail: str = "") -> str:
    """Real words (R3 accepts them) up to exactly ``length`` rendered characters, ending with ``tail``."""
    rng = random.Random(seed)
    text = ""
    while limits.rendered_length(text + tail) < length - 20:
        text += rng.choice(words) + " "
    text = (text + tail).strip()
    return text + "ы" * (length - limits.rendered_length(text))


def num(value: int) -> str:
    """A number as the Russian catalog prints it (groups of three split by a no-break space)."""
    return f"{value:,}".replace(",", "\xa0")


def sent_texts(harness: Harness, chat: int, since: int = 0) -> list[str]:
    return [
        call.text
        for call in harness.session.calls[since:]
        if isinstance(call, SendMessage) and int(call.chat_id) == chat
    ]


async def rows(sessionmaker: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def assert_renders(replies: list[str]) -> None:
    assert replies, "the bot did not answer"
    for reply in replies:
        assert "{???}" not in reply
        assert len(reply) <= limits.MESSAGE_MAX
        assert "Что-то пошло не так" not in reply


# ---------------------------------------------------------------------------------------------------------
# A lead description of 700 «<»
# ---------------------------------------------------------------------------------------------------------


async def test_stored_lead_description_of_700_lt_renders_cut_with_show_full(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """A description stored before the limits (2,800 characters escaped) still renders, cut with «…»;
    «Показать полностью» sends it all in parts of at most 4,096 characters."""
    manager = await make_user(sessionmaker, MANAGER)
    description = "<" * 700 + " конец"
    lead = await make_lead(
        sessionmaker, await make_contact(sessionmaker, manager), manager, description=description
    )
    u = harness.user(MANAGER)
    await u.send("/menu")
    card = await u.press(LeadCb(action="open", id=lead).pack())
    assert_renders(card)
    assert "Лид №" in card[-1] and "…" in card[-1] and "конец" not in card[-1]
    assert any(SHOW_FULL in button for button in u.buttons())
    since = len(harness.session.calls)
    full = await u.click(SHOW_FULL)
    assert_renders(full)
    parts = sent_texts(harness, MANAGER, since)
    body = "".join(part.split("\n", 1)[1] for part in parts)
    assert body == "&lt;" * 700 + " конец"
    assert "часть 1 из 1" in parts[0]


async def test_show_full_re_checks_visibility(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, OTHER, team="Продажи Юг")
    lead = await make_lead(
        sessionmaker, await make_contact(sessionmaker, manager), manager, description="секрет " * 300
    )
    other = harness.user(OTHER)
    await other.send("/menu")
    replies = await other.press(LeadCb(action="full", id=lead).pack())
    assert replies and all("секрет" not in reply for reply in replies)
    assert "Нет доступа" in replies[-1] or "устарела" in replies[-1]
    deal_setup = await convertible_lead(sessionmaker, other_contact=True)
    deal = await insert_deal(sessionmaker, deal_setup, comment="секрет " * 300)
    replies = await other.press(DealCb(action="full", id=deal).pack())
    assert replies and all("секрет" not in reply for reply in replies)


async def go_to_description(u: TgUser) -> None:
    await u.send("/new_lead")
    await u.send("Иванов")
    await u.click("Иванов Иван")
    await u.click("Сайт")
    await u.click("Оборудование")


async def test_typed_lead_description_is_limited_by_its_escaped_length(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_contact(sessionmaker, await make_user(sessionmaker, MANAGER))
    u = harness.user(MANAGER)
    await go_to_description(u)
    replies = await u.send("<" * 700)
    assert_renders(replies)
    assert f"не больше {num(limits.LEAD_DESCRIPTION)}" in replies[-1] and f"сейчас {num(2800)}" in replies[-1]
    assert await rows(sessionmaker, Lead) == 0
    at_limit = prose(_DISCUSSED_WORDS, limits.LEAD_DESCRIPTION, seed=1, tail="<>&")
    summary = await u.send(at_limit)
    assert_renders(summary)
    assert "Проверьте лид" in summary[-1]
    assert_renders(await u.click("Сохранить"))
    assert await rows(sessionmaker, Lead) == 1


# ---------------------------------------------------------------------------------------------------------
# A deal comment of 1,500 «&», and a deal with 200 product lines
# ---------------------------------------------------------------------------------------------------------


async def test_stored_deal_comment_of_1500_amp_renders_with_show_full(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal = await insert_deal(sessionmaker, setup, comment="&" * 1500)
    u = harness.user(DEAL_MANAGER)
    await u.send("/menu")
    card = await u.press(DealCb(action="open", id=deal).pack())
    assert_renders(card)
    assert "Сделка" in card[-1] and "…" in card[-1]
    since = len(harness.session.calls)
    assert_renders(await u.click(SHOW_FULL))
    parts = sent_texts(harness, DEAL_MANAGER, since)
    assert len(parts) == 2  # 7,500 escaped characters
    assert "".join(part.split("\n", 1)[1] for part in parts) == "&amp;" * 1500


async def test_typed_deal_comment_of_1500_amp_is_refused_and_nothing_saved(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    u = harness.user(DEAL_MANAGER)
    replies = await reach_summary(u, comment="&" * 1500)
    assert_renders(replies)
    assert TOO_LONG in replies[-1] and f"сейчас {num(7500)}" in replies[-1]
    assert f"не больше {num(limits.DEAL_COMMENT)}" in replies[-1]
    assert await rows(sessionmaker, Deal) == 0
    comment = prose(_DISCUSSED_WORDS, limits.DEAL_COMMENT, seed=2, tail="& <итог>")
    summary = await u.send(comment)
    assert_renders(summary)
    assert "Проверьте сделку" in summary[-1]
    assert_renders(await u.click("Сохранить"))
    assert await rows(sessionmaker, Deal) == 1


async def test_deal_with_200_product_lines_renders_a_card_under_4096(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup)
    async with writing(sessionmaker) as session:
        products = list(await session.scalars(select(Product.id)))
        for number in range(199):
            session.add(
                DealLine(deal_id=deal_id, product_id=products[number % len(products)], amount_minor=100)
            )
    u = harness.user(DEAL_MANAGER)
    await u.send("/menu")
    card = await u.press(DealCb(action="open", id=deal_id).pack())
    assert_renders(card)
    assert f"и ещё {200 - limits.CARD_LINES}" in card[-1]
    assert "Итого" in card[-1]


async def test_lost_reason_is_limited_by_its_escaped_length(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    u = harness.user(DEAL_MANAGER)
    await new_deal(harness, u)
    await u.click("Проиграна")
    await u.click("Дорого")
    replies = await u.send("Клиент выбрал поставщика <" + "<" * 200)
    assert_renders(replies)
    assert TOO_LONG in replies[-1] and f"не больше {limits.REASON}" in replies[-1]
    async with sessionmaker() as session:
        assert await session.scalar(select(Deal.status)) == "open"


# ---------------------------------------------------------------------------------------------------------
# /log parts and the summary
# ---------------------------------------------------------------------------------------------------------


async def start_call(harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]) -> TgUser:
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(MANAGER)
    await u.send("/log")
    await u.click(tp("pick-id", id=lead))
    await u.click(tp("interaction-choice-call-reached"))
    return u


async def test_log_part_of_2600_characters_is_refused_with_the_limit(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    u = await start_call(harness, sessionmaker)
    long = prose(_DISCUSSED_WORDS, 2600, seed=3)
    replies = await u.send(long)
    assert_renders(replies)
    assert TOO_LONG in replies[-1] and f"сейчас {num(2600)}" in replies[-1]
    assert f"не больше {num(limits.LOG_PART)}" in replies[-1]
    assert "О чём договорились" not in replies[-1]
    await u.send(prose(_DISCUSSED_WORDS, 300, seed=4))
    replies = await u.send(prose(_AGREED_WORDS, 2600, seed=5))
    assert TOO_LONG in replies[-1]
    assert await rows(sessionmaker, Interaction) == 0


async def test_log_summary_with_two_parts_at_the_limit_fits_with_its_buttons(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Two parts of 2,100 characters used to make a summary over 4,096: no buttons, the user stuck."""
    u = await start_call(harness, sessionmaker)
    assert TOO_LONG in (await u.send(prose(_DISCUSSED_WORDS, 2100, seed=8)))[-1]
    await u.send(prose(_DISCUSSED_WORDS, limits.LOG_PART, seed=6, tail="<&>"))
    assert TOO_LONG in (await u.send(prose(_AGREED_WORDS, 2100, seed=9)))[-1]
    summary = await u.send(prose(_AGREED_WORDS, limits.LOG_PART, seed=7, tail="&<>"))
    assert_renders(summary)
    assert "Проверьте запись контакта" in summary[-1]
    assert "💾 Сохранить" in u.buttons()
    assert_renders(await u.click("Сохранить"))
    assert await rows(sessionmaker, Interaction) == 1


# ---------------------------------------------------------------------------------------------------------
# Search text
# ---------------------------------------------------------------------------------------------------------


async def test_find_with_5000_characters_and_1000_words_answers_politely(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_contact(sessionmaker, await make_user(sessionmaker, MANAGER))
    u = harness.user(MANAGER)
    for text in ("<" * 5000, " ".join(["Иванов"] * 1000), " ".join(f"w{n}" for n in range(1000))):
        replies = await u.send(f"/find {text}"[:4096])
        assert_renders(replies)
        assert "Слишком длинный запрос" in replies[-1] and f"{limits.SEARCH_TEXT}" in replies[-1]
    replies = await u.send("/find иванов иван")
    assert_renders(replies)
    assert any("Иванов Иван Иванович" in button for button in u.buttons())


async def test_search_uses_only_the_first_words(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """One LIKE per word overflowed SQLite's expression tree at about 1,000 words."""
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    actor = Actor(manager, Role.MANAGER, None)
    async with sessionmaker() as session:
        found = await contacts_repo.search(session, actor, " ".join(["иван"] * 1000), default_region="RU")
    assert [c.full_name for c in found.page.rows] == ["Иванов Иван Иванович"]


async def test_lead_form_search_over_2500_characters_answers_politely(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_contact(sessionmaker, await make_user(sessionmaker, MANAGER))
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    replies = await u.send("Иванов " + "&" * 2600)
    assert_renders(replies)
    assert "Слишком длинный запрос" in replies[-1]
    replies = await u.send("Иванов")
    assert any("Иванов Иван" in button for button in u.buttons())


# ---------------------------------------------------------------------------------------------------------
# Other free text: the task title
# ---------------------------------------------------------------------------------------------------------


async def test_task_title_is_limited_by_its_escaped_length(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(LeadCb(action="task", id=lead).pack())
    replies = await u.send("Позвонить <" + "<" * 100)
    assert_renders(replies)
    assert TOO_LONG in replies[-1] and f"не больше {limits.TASK_TITLE}" in replies[-1]
    await u.send("Позвонить <директору>")
    assert_renders(await u.send("завтра в 15:00"))
    assert_renders(await u.click(tp("btn-save")))
    async with sessionmaker() as session:
        assert await session.scalar(select(Task.title)) == "Позвонить <директору>"
