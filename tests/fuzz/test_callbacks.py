"""Issue 9, Deliver 9 and 11; issue 10: forged and random button data, pressed on real, inline and
inaccessible messages, including dialog buttons of any chat with a forged intent id, widget or item id.

A forged client can send any ``callback_data`` up to 64 bytes. Every press must end with a polite answer to
the button (Telegram shows a spinner until the bot answers) and never with a crash, «Что-то пошло не так», a
logged error or «{???}». The data are every ``CallbackData`` prefix of the bot with random actions and ids of
−1, 0, 2^31, 2^63−1, 2^63, 10^30 and random ones, plus random strings.
"""

from __future__ import annotations

import itertools
import random
import typing
from datetime import UTC, datetime

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Update
from aiogram_dialog.utils import CB_SEP as INTENT_SEPARATOR
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers  # noqa: F401  (every CallbackData factory is defined on import)
from bot.callbacks import DealCb
from handlers import feature_routers
from tests.conftest import ADMIN_ID
from tests.factories import make_contact, make_lead, make_user
from tests.flows.deals.helpers import MANAGER, convertible_lead, insert_deal
from tests.fuzz.inputs import unicode_planes
from tests.fuzz.rows import broken_rows
from tests.fuzz.runner import SEED, Checker, Report, fail_on, short
from tests.harness import Harness, TgUser, _update_ids
from tests.registry import make_client
from tests.reminders.test_sender import add_task

# Coverage of the rules comes from their own tests; tracing every line of 60,000 fuzzed updates only slows
# the suite (pytest-cov pauses for tests with this marker).
pytestmark = pytest.mark.no_cover

PRESSES = 1000
_ACTIONS = """
    add all approve approver attach cancel card conv convert deals dirs done down edit find fix full groups
    item keep kind kinds lang langset lead leads list log more new newteam off offok on one open outcome party
    per pick pset reassign recent reject ren resched retry role save setconv setrole setteam show stage task
    team tz tzset tztype up users withdraw won back skip lost product amount
"""
ACTIONS = tuple(_ACTIONS.split())
IDS = (-1, 0, 1, 2, 3, 2**31, 2**63 - 1, 2**63, 2**64, 10**30, -(2**63) - 1)


def factories() -> list[type[CallbackData]]:
    feature_routers()
    found: dict[str, type[CallbackData]] = {}
    pending: list[type[CallbackData]] = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if getattr(cls, "__prefix__", None) and cls.__module__.split(".")[0] in {"bot", "handlers"}:
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


def _value(rng: random.Random, name: str, annotation: object) -> str:
    text = str(annotation)
    if "int" in text and rng.random() < 0.9:
        return str(rng.choice(IDS) if rng.random() < 0.7 else rng.randint(-5, 50))
    if name == "action" and rng.random() < 0.8:
        return rng.choice(ACTIONS)
    return rng.choice(("", "x", "0", "-", "%", "<b>", "😀", rng.choice(ACTIONS), unicode_planes(rng)[:3]))


def dialog_buttons(harness: Harness) -> list[str]:
    """The dialog buttons on every message of every chat: ``<intent id>\x1d<widget>[:<item>]``."""
    return [
        str(button.callback_data)
        for message in harness.session.messages.values()
        if isinstance(message.reply_markup, InlineKeyboardMarkup)
        for row in message.reply_markup.inline_keyboard
        for button in row
        if button.callback_data and INTENT_SEPARATOR in button.callback_data
    ]


def forged_dialog(rng: random.Random, real: list[str]) -> tuple[str, str]:
    """A dialog button of any chat with its intent id, widget id or item id forged (or all three)."""
    intent, _, rest = rng.choice(real).partition(INTENT_SEPARATOR)
    widget, _, item = rest.partition(":")
    roll = rng.random()
    if roll < 0.3:
        intent = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in intent)
        klass = "dialog: forged intent id"
    elif roll < 0.6:
        item = str(rng.choice(IDS)) if rng.random() < 0.8 else unicode_planes(rng)[:4]
        klass = "dialog: forged item id"
    elif roll < 0.8:
        widget = rng.choice(("save", "back", "cancel", "skip", "edit", "x", unicode_planes(rng)[:3]))
        klass = "dialog: forged widget id"
    else:
        klass = "dialog: another chat's button"
    data = f"{intent}{INTENT_SEPARATOR}{widget}" + (f":{item}" if item else "")
    return klass, data


def forged(
    rng: random.Random, classes: list[type[CallbackData]], dialogs: list[str] | None = None
) -> tuple[str, str]:
    """``(class, data)``: a known prefix with random fields, a dialog button of any chat with forged parts, or
    random bytes; cut to Telegram's 64 bytes."""
    roll = rng.random()
    if dialogs and roll < 0.4:
        klass, data = forged_dialog(rng, dialogs)
    elif roll < 0.8:
        cls = rng.choice(classes)
        hints = typing.get_type_hints(cls)
        parts = [cls.__prefix__]
        for name in cls.model_fields:
            parts.append(_value(rng, name, hints.get(name)))
        if rng.random() < 0.1:
            parts = parts[: rng.randrange(1, len(parts) + 1)] + [str(rng.choice(IDS))] * rng.randint(0, 2)
        data, klass = ":".join(parts), f"prefix {cls.__prefix__}"
    elif roll < 0.9:
        data, klass = unicode_planes(rng), "random unicode"
    else:
        data, klass = ":".join(str(rng.choice(IDS)) for _ in range(rng.randint(1, 4))), "random ids"
    while len(data.encode()) > 64:
        data = data[:-1]
    return klass, data or "x"


async def press(user: TgUser, data: str, where: str) -> None:
    """Press ``data`` on the latest bot message, on an inline message, or on an inaccessible one."""
    if where == "message":
        await user.press(data)
        return
    message = None
    inline_id = None
    if where == "inaccessible":
        latest = user.harness.message(user.telegram_id)
        message = InaccessibleMessage(chat=latest.chat, message_id=latest.message_id)
    else:
        inline_id = "AAAAAQ-inline"
    query = CallbackQuery(
        id=str(next(_update_ids)),
        from_user=user.user,
        chat_instance="ci",
        message=message,
        inline_message_id=inline_id,
        data=data,
    )
    await user.feed(Update(update_id=next(_update_ids), callback_query=query))


async def world(harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]) -> list[TgUser]:
    """A manager with a contact, lead, deal, task and client; a colleague of another team; the admin."""
    setup = await convertible_lead(sessionmaker)
    deal = await insert_deal(sessionmaker, setup)
    await add_task(sessionmaker, setup.manager_id, deal_id=deal, due_at=datetime.now(UTC))
    await make_client(sessionmaker, setup.manager_id, "ООО Ромашка", contact_ids=(setup.contact_id,))
    stranger = await make_user(sessionmaker, 901, team="Продажи Юг")
    contact = await make_contact(
        sessionmaker, stranger, name="Смирнова Ольга", phone="+79217654321", email="smirnova@yandex.ru"
    )
    await make_lead(sessionmaker, contact, stranger)
    manager = harness.user(MANAGER)
    await manager.send("/deals")
    await manager.press(DealCb(action="open", id=deal).pack())
    other = harness.user(901)
    await other.send("/leads")
    boss = harness.user(ADMIN_ID)
    await boss.send("/settings")
    return [manager, other, boss]


@pytest.mark.parametrize("where", ["message", "inline-or-inaccessible"])
async def test_fuzz_callback_data(
    harness: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    where: str,
    request: pytest.FixtureRequest,
) -> None:
    users = await world(harness, sessionmaker)
    classes = factories()
    assert len(classes) >= 10, [c.__prefix__ for c in classes]
    assert dialog_buttons(harness), "the world has no dialog open to forge buttons from"
    rng = random.Random(f"{SEED}:callbacks:{where}")
    report = Report(SEED)
    step = f"callback on {where}"
    cycle = itertools.cycle(users)
    count = PRESSES if where == "message" else PRESSES // 3
    with Checker(harness, report) as checker:
        for index in range(count):
            user = next(cycle)
            klass, data = forged(rng, classes, dialog_buttons(harness))
            place = where if where == "message" else rng.choice(("inline", "inaccessible"))
            since = len(harness.session.calls)
            try:
                await press(user, data, place)
            except Exception as exc:
                report.add(step, f"exception out of the dispatcher: {type(exc).__name__}", klass, index, data)
            checker.check(step, index, klass, data, since)
            if user.harness.messages_to(user.telegram_id) == []:
                await user.send("/menu")
    if "no_render_failures" in request.fixturenames:
        request.getfixturevalue("no_render_failures").failures.clear()
    problems = await broken_rows(sessionmaker)
    fail_on(report, problems)


def test_forged_data_fit_in_64_bytes() -> None:
    rng = random.Random(SEED)
    classes = factories()
    for _ in range(500):
        _, data = forged(rng, classes)
        assert 1 <= len(data.encode()) <= 64, short(data)
