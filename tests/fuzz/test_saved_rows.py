"""Issue 9, Deliver 11: whole forms filled with fuzzed values and saved; no saved row may break R2–R5.

Each round walks a form to the end: at every step it first tries a fuzzed value (hostile text, or a valid
value from a small pool mutated with look-alike letters, markup, zero-width characters, case or spaces), and
when the step refuses it, a valid value from the same small pool. The pools are small on purpose, so that R5
duplicates (R5a: two of name, phone, birth date, e-mail) come up all the time, also in look-alike letters.
Then every saved row is re-checked with the domain functions (``rows.py``).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.callbacks import DealCb
from bot.i18n import TranslatorHub
from db.models import Contact, Deal, Interaction
from domain.deals import missing_fields
from tests.dialogs import dialog_state
from tests.factories import make_contact, make_interaction, make_lead, make_user
from tests.fuzz.inputs import generate
from tests.fuzz.rows import broken_rows, deal_snapshot, obviously_not_expanded
from tests.fuzz.runner import SEED, Checker, Report, fail_on
from tests.harness import Harness, TgUser, tp

# Coverage of the rules comes from their own tests; tracing every line of 60,000 fuzzed updates only slows
# the suite (pytest-cov pauses for tests with this marker).
pytestmark = pytest.mark.no_cover

MANAGER = 811
ROUNDS = 120

NAMES = (
    "Орех Вера",
    "Opex Bepa",
    "Орех Bepa",
    "Петров Пётр Петрович",
    "петров петр",
    "Смирнова Анна",
    "Ким Ир",
)
PHONES = ("+7 912 345-67-89", "+7 916 123-45-67", "+7 921 765-43-21", "8 903 111-22-33", "+7 999 000-11-22")
BIRTHS = ("25.03.1985", "12.07.1990", "01.01.1970", "29.02.1988", "1985-03-25")
EMAILS = ("vera@mail.ru", "VERA@MAIL.RU", "petrov@yandex.ru", "anna@gmail.com", "kim@mail.ru", "vеra@mail.ru")
POSITIONS = ("Главный инженер", "Директор <по закупкам> & снабжению", "")
CONTACT_STEPS = (("name", NAMES), ("phone", PHONES), ("birth_date", BIRTHS), ("email", EMAILS))

DISCUSSED = (
    "Обсудили поставку 20 сканеров, клиенту важна цена",
    "Клиент выбирает терминалы для склада в Казани",
)
AGREED = ("Отправляю коммерческое предложение до пятницы", "Договорились о демонстрации терминалов в среду")
COMMENT = "Клиенту нужны 5 сканеров, ждём согласования бюджета до конца месяца"


async def state_of(harness: Harness, user: TgUser) -> str | None:
    return await dialog_state(harness.dispatcher.storage, user.telegram_id)


class Round:
    """One form walk: sends, checks each answer, and knows whether the form moved on."""

    def __init__(
        self, harness: Harness, report: Report, checker: Checker, user: TgUser, rng: random.Random
    ) -> None:
        self.harness, self.report, self.checker, self.user, self.rng = harness, report, checker, user, rng
        self.index = 0

    async def send(self, step: str, klass: str, text: str) -> str | None:
        since = len(self.harness.session.calls)
        try:
            await self.user.send(text)
        except Exception as exc:
            self.report.add(
                step, f"exception out of the dispatcher: {type(exc).__name__}", klass, self.index, text
            )
        self.checker.check(step, self.index, klass, text, since)
        self.index += 1
        return await state_of(self.harness, self.user)

    async def click(self, step: str, label: str) -> None:
        since = len(self.harness.session.calls)
        await self.user.click(label)
        self.checker.check(step, self.index, "button", label, since)
        self.index += 1

    async def answer(self, step: str, pool: tuple[str, ...], *, fuzz: float = 0.5) -> bool:
        """Try a fuzzed value, then a valid one; True when the step was passed."""
        before = await state_of(self.harness, self.user)
        if self.rng.random() < fuzz:
            klass, text = generate(self.rng, pool)
            if await self.send(step, klass, text) != before:
                return True
        valid = self.rng.choice(pool) or " "
        return await self.send(step, "valid", valid) != before


async def count(sessionmaker: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def forget_render_failures(request: pytest.FixtureRequest) -> None:
    if "no_render_failures" in request.fixturenames:
        request.getfixturevalue("no_render_failures").failures.clear()


async def test_fuzzed_contacts_saved_keep_r4_and_r5(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], request: pytest.FixtureRequest
) -> None:
    """R4a: saved contacts have a valid mobile E.164 phone, e-mail and birth date; R5a: no two match on two
    fields, whatever the letters, case or spaces they were typed with."""
    await make_user(sessionmaker, MANAGER)
    user = harness.user(MANAGER)
    rng = random.Random(f"{SEED}:save:contact")
    report = Report(SEED)
    with Checker(harness, report) as checker:
        walk = Round(harness, report, checker, user, rng)
        for _ in range(ROUNDS):
            await walk.send("save.contact.start", "command", "/new_contact")
            passed = True
            for step, pool in CONTACT_STEPS:
                if not await walk.answer(f"save.contact.{step}", pool):
                    passed = False
                    break
            if passed:
                passed = await walk.answer("save.contact.position", POSITIONS, fuzz=0.3)
            if passed:  # typed text at the client step only searches: a fuzzed one, then «Пропустить»
                await walk.answer("save.contact.client", ("Ромашка",), fuzz=0.3)
                if await state_of(harness, user) == "ContactForm:client":
                    await walk.click("save.contact.client.skip", tp("btn-skip"))
                passed = await state_of(harness, user) == "ContactForm:summary"
            if passed and await state_of(harness, user) == "ContactForm:summary":
                await walk.click("save.contact.save", tp("btn-save"))
            await walk.send("save.contact.cancel", "command", "/cancel")
    forget_render_failures(request)
    saved = await count(sessionmaker, Contact)
    print(f"\n{saved} contacts saved in {ROUNDS} rounds")
    assert saved >= 3, "too few contacts saved to judge R5"
    fail_on(report, await broken_rows(sessionmaker))


async def test_fuzzed_log_entries_qualify_only_with_an_expanded_comment(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], request: pytest.FixtureRequest
) -> None:
    """R3, R1d: a reached call saved from fuzzed parts is qualifying only with an expanded comment."""
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    user = harness.user(MANAGER)
    rng = random.Random(f"{SEED}:save:log")
    report = Report(SEED)
    with Checker(harness, report) as checker:
        walk = Round(harness, report, checker, user, rng)
        for _ in range(ROUNDS // 2):
            await walk.send("save.log.start", "command", "/log")
            await walk.click("save.log.subject", tp("pick-id", id=lead))
            await walk.click("save.log.kind", tp("interaction-choice-call-reached"))
            passed = await walk.answer("save.log.discussed", DISCUSSED, fuzz=0.8) and await walk.answer(
                "save.log.agreed", AGREED, fuzz=0.8
            )
            if passed and rng.random() < 0.5:
                # The next step is optional, set from the summary.
                await walk.click("save.log.next_step", tp("interaction-btn-next-step"))
                passed = await walk.answer("save.log.due", ("завтра в 15:00", "через 3 дня"), fuzz=0.3)
            if passed and await state_of(harness, user) == "LogForm:summary":
                await walk.click("save.log.save", tp("btn-save"))
            await walk.send("save.log.cancel", "command", "/cancel")
    forget_render_failures(request)
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(Interaction)))
    print(f"\n{len(rows)} interactions saved, {sum(r.qualifying for r in rows)} qualifying")
    assert rows, "no interaction saved"
    fail_on(report, await broken_rows(sessionmaker))


async def test_fuzzed_deals_are_saved_correct(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], request: pytest.FixtureRequest
) -> None:
    """R2f: a deal saved from fuzzed amounts and comments is correct: product lines with amounts above 0 and
    an expanded comment (R3d)."""
    manager = await make_user(sessionmaker, MANAGER)
    rounds = ROUNDS // 3
    leads = []
    for i in range(rounds):
        contact = await make_contact(
            sessionmaker,
            manager,
            name=f"Клиентов{'абвгдежзиклмнопрстуфхцчшщэюя'[i % 28]} Иван",
            phone=f"+7912{i:07d}",
            birth=date(1970, 1, 1) + timedelta(days=i * 40),
            email=f"client{i}@mail.ru",
        )
        lead = await make_lead(sessionmaker, contact, manager)
        await make_interaction(sessionmaker, manager, lead_id=lead)
        leads.append(lead)
    user = harness.user(MANAGER)
    rng = random.Random(f"{SEED}:save:deal")
    report = Report(SEED)
    with Checker(harness, report) as checker:
        walk = Round(harness, report, checker, user, rng)
        for lead in leads:
            await walk.send("save.deal.start", "command", "/new_deal")
            since = len(harness.session.calls)
            picker = harness.messages_to(MANAGER)[-1].reply_markup
            first = picker.inline_keyboard[0][0].callback_data if picker else None
            if first is not None:  # the lead picker's own button, for this round's lead
                await user.press(f"{first.rsplit(':', 1)[0]}:{lead}")
            checker.check("save.deal.lead", walk.index, "button", "lead", since)
            await walk.click("save.deal.group", "Оборудование")
            await walk.click("save.deal.product", "Сканер штрихкодов")
            if await walk.answer("save.deal.amount", ("150 000", "50к", "1 000 000,50"), fuzz=0.7):
                await walk.click("save.deal.edit_comment", tp("deal-btn-edit-comment"))
                commented = await walk.answer("save.deal.comment", (COMMENT,), fuzz=0.8)
                if commented and await state_of(harness, user) == "DealForm:summary":
                    await walk.click("save.deal.save", tp("btn-save"))
            await walk.send("save.deal.cancel", "command", "/cancel")
    forget_render_failures(request)
    async with sessionmaker() as session:
        deals = list(await session.scalars(select(Deal)))
    print(f"\n{len(deals)} deals saved; comments without real words: "
          f"{sum(obviously_not_expanded(d.comment) for d in deals)}")  # fmt: skip
    assert deals, "no deal saved"
    problems = await broken_rows(sessionmaker)
    hub = TranslatorHub().get("ru")
    correct_mark = hub("deal-card-correct")
    incorrect_mark = hub("deal-card-incorrect", fields="").split(":")[0]
    async with sessionmaker() as session:
        saved = list(await session.scalars(select(Deal).options(selectinload(Deal.lines))))
    for deal in saved:
        card = (await user.press(DealCb(action="open", id=deal.id).pack()))[-1]
        correct = not missing_fields(deal_snapshot(deal))
        if (correct_mark in card) != correct or (incorrect_mark in card) == correct:
            problems.append(f"deal #{deal.id}: the card's correct/incorrect mark disagrees with R2f")
    fail_on(report, problems)
