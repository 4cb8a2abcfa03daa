"""Managers served by one instance when each types one form step every 10 s (issue 9, finding 1).

Every simulated manager walks the contact form over and over: ``/new_contact``, name, phone, birth date,
e-mail, position, client, «Сохранить» (eight steps, one new contact per round; phones and e-mails are unique,
so R5 never refuses). Each step is a real ``Update`` fed to the production ``bot.app.create_dispatcher``
(SQLite file, production pool settings, the SQL FSM storage with its per-chat isolation) with a recording fake
Bot API that waits ``--api-latency`` per call, like a network would.

A manager's steps are due every ``--period`` seconds from a random phase; a manager waits for the answer
before typing the next step, so a slow answer delays the next one (its latency counts from when it was due).
A step is answered when the bot's reply in that chat is the next step's prompt (or «Контакт сохранён»);
an error reply, a wrong reply or no reply by the end of the level (``--duration`` + ``--grace``) is not.
Before timing, the managers are spread over the eight steps (manager *i* starts at step *i* mod 8, ten
managers at a time), so every kind of step, saves included, is in the mix from the start. A manager whose step
failed starts a new contact with ``/new_contact``, as a person would.

    python -m bench.managers                                   # 50,100,150,200,300,400 × 60 s ≈ 7 min
    python -m bench.managers --counts 100,200 --duration 30    # a quick look
    python -m bench.managers --aligned --counts 50,100 --duration 30   # all steps due at once, every 10 s
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import random
import shutil
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod
from aiogram.types import CallbackQuery, Chat, InlineKeyboardMarkup, Message, MessageEntity, Update, User

from bench.fill import add_users, connect, migrate, percentile, person, sqlite_url
from bot.app import create_bot, create_dispatcher
from bot.i18n import TranslatorHub
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker
from tests.harness import TOKEN, RecordingSession

FIRST_TELEGRAM_ID = 900_000_000
RU = TranslatorHub().get("ru")
GENERIC_ERROR = RU("error-generic")
# What the bot says after each step of the cycle (the next step's prompt).
EXPECTED = (
    *(
        RU(f"contact-ask-{step}").split("\n")[0]
        for step in ("name", "phone", "birth_date", "email", "position")
    ),
    RU("contact-ask-client").split("\n")[0],  # after the position
    "<b>Проверьте данные контакта</b>",  # after the client: the summary
    RU("contact-saved-title"),  # after «Сохранить»: the saved contact's card
)
SAVE = RU.plain("btn-save")
CYCLE = len(EXPECTED)
_ids = itertools.count(1)


class NetworkSession(RecordingSession):
    """The recording Bot API of the tests, plus a network round trip per call and a per-chat reply log."""

    def __init__(self, latency: float) -> None:
        super().__init__()
        self.latency = latency
        self.texts: dict[int, list[str]] = defaultdict(list)
        self.buttons: dict[int, Message] = {}  # each chat's latest message with inline buttons

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 - the signature of BaseSession
    ) -> Any:
        if self.latency:
            await asyncio.sleep(self.latency)
        if isinstance(method, SendMessage | EditMessageText) and method.text:
            self.texts[int(method.chat_id or 0)].append(method.text)
        elif isinstance(method, AnswerCallbackQuery) and method.text:
            self.texts[-1].append(method.text)  # alerts: not attributable to a chat, counted as wrong replies
        result = await super().make_request(bot, method, timeout)
        if isinstance(result, Message) and isinstance(result.reply_markup, InlineKeyboardMarkup):
            self.buttons[result.chat.id] = result
        self.calls.clear()  # keep memory flat over a long run; ``messages`` keeps what buttons need
        return result


@dataclass
class Manager:
    telegram_id: int
    position: int = 0  # the next step of the cycle
    contact: int = 0  # the number of the contact being entered (unique phone and e-mail)
    latencies: list[float] = field(default_factory=list)
    due: int = 0
    answered: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def user(self) -> User:
        return User(id=self.telegram_id, is_bot=False, first_name="Менеджер", language_code="ru")

    @property
    def chat(self) -> Chat:
        return Chat(id=self.telegram_id, type="private", first_name="Менеджер")


def step_update(manager: Manager, session: NetworkSession) -> Update:
    p = person(manager.contact, random.Random(manager.contact))
    answers = (
        "/new_contact",
        p.full_name,
        p.phone,
        p.birth.strftime("%d.%m.%Y"),
        p.email,
        "Инженер",
        "ООО «Ромашка»",
    )
    if manager.position < len(answers):
        text = answers[manager.position]
        entities = [MessageEntity(type="bot_command", offset=0, length=len(text))] if text[0] == "/" else None
        message = Message(
            message_id=next(_ids),
            date=datetime.now(UTC),
            chat=manager.chat,
            from_user=manager.user,
            text=text,
            entities=entities,
        )
        return Update(update_id=next(_ids), message=message)
    summary = session.buttons[manager.telegram_id]
    assert isinstance(summary.reply_markup, InlineKeyboardMarkup)
    save = next(
        b.callback_data for row in summary.reply_markup.inline_keyboard for b in row if b.text == SAVE
    )
    query = CallbackQuery(
        id=str(next(_ids)), from_user=manager.user, chat_instance="bench", message=summary, data=save
    )
    return Update(update_id=next(_ids), callback_query=query)


async def take_step(bot: Bot, dispatcher: Any, session: NetworkSession, manager: Manager) -> bool:
    """Feed the manager's next step; True when the reply is the expected one."""
    before = len(session.texts[manager.telegram_id])
    await dispatcher.feed_update(bot, step_update(manager, session))
    replies = session.texts[manager.telegram_id][before:]
    ok = any(EXPECTED[manager.position] in reply for reply in replies) and not any(
        GENERIC_ERROR in reply for reply in replies
    )
    if not ok:
        manager.wrong.append(replies[-1][:60] if replies else "(no reply)")
    manager.position = (manager.position + 1) % CYCLE if ok else 0  # after a failure: /new_contact again
    if manager.position == 0:
        manager.contact += 100_000  # the next contact of this manager
    return ok


@dataclass
class Level:
    managers: int
    due: int
    answered: int
    p50: float
    p99: float
    wrong: list[str]

    @property
    def share(self) -> float:
        return self.answered / self.due if self.due else 0.0


async def run_level(
    template: Path,
    workdir: Path,
    count: int,
    duration: float,
    period: float,
    grace: float,
    latency: float,
    aligned: bool = False,
) -> Level:
    path = workdir / f"level-{count}.sqlite3"
    shutil.copy(template, path)
    connection = connect(path)
    add_users(connection, count, FIRST_TELEGRAM_ID)
    connection.commit()
    connection.close()
    settings = Settings(_env_file=None, bot_token=TOKEN, database_url=sqlite_url(path))  # type: ignore[call-arg,arg-type]
    engine = create_engine(settings.database_url, **settings.pool_options)
    session = NetworkSession(latency)
    bot = create_bot(settings, session=session)
    dispatcher = create_dispatcher(settings, create_sessionmaker(engine), single_instance=True)
    managers = [Manager(FIRST_TELEGRAM_ID + i, contact=i) for i in range(count)]
    try:
        # Spread the managers over the cycle (not timed), ten at a time: manager i goes to step i mod 8.
        for round_ in range(CYCLE - 1):
            movers = [m for i, m in enumerate(managers) if i % CYCLE > round_]
            for chunk in range(0, len(movers), 10):
                group = movers[chunk : chunk + 10]
                await asyncio.gather(*(take_step(bot, dispatcher, session, m) for m in group))
        for m in managers:
            m.wrong.clear()
        rng = random.Random(count)
        start = time.perf_counter() + 0.5
        end = start + duration

        async def walk(manager: Manager, schedule: list[float]) -> None:
            for due_at in schedule:
                await asyncio.sleep(max(0.0, due_at - time.perf_counter()))
                ok = await take_step(bot, dispatcher, session, manager)
                manager.latencies.append(time.perf_counter() - due_at)
                manager.answered += ok

        tasks = []
        for m in managers:
            phase = 0.0 if aligned else rng.uniform(0, period)
            schedule = [start + phase + k * period for k in range(int(duration / period) + 1)]
            schedule = [due_at for due_at in schedule if due_at < end]
            m.due = len(schedule)  # steps not taken by the end of the level count as unanswered
            tasks.append(asyncio.create_task(walk(m, schedule)))
        _done, pending = await asyncio.wait(tasks, timeout=duration + 0.5 + grace)
        for task in pending:  # steps still waiting at the end of the level are unanswered
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    finally:
        await dispatcher.storage.close()
        await engine.dispose()
    latencies = [x for m in managers for x in m.latencies] or [float("nan")]
    return Level(
        managers=count,
        due=sum(m.due for m in managers),
        answered=sum(m.answered for m in managers),
        p50=percentile(latencies, 0.5),
        p99=percentile(latencies, 0.99),
        wrong=[w for m in managers for w in m.wrong][:3],
    )


async def measure(args: argparse.Namespace, workdir: Path, template: Path) -> list[Level]:
    levels = []
    for count in args.counts:
        level = await run_level(
            template,
            workdir,
            count,
            args.duration,
            args.period,
            args.grace,
            args.api_latency,
            args.aligned,
        )
        levels.append(level)
        print(
            f"{count:>4} managers: {level.answered}/{level.due} steps answered ({level.share:.1%}), "
            f"p50 {level.p50 * 1000:.0f} ms, p99 {level.p99 * 1000:.0f} ms"
            + (f"; e.g. {level.wrong}" if level.wrong else ""),
            flush=True,
        )
    return levels


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--counts",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[50, 100, 150, 200, 300, 400],
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of steps per level")
    parser.add_argument("--period", type=float, default=10.0, help="seconds between a manager's steps")
    parser.add_argument("--grace", type=float, default=30.0, help="seconds to finish after the last step")
    parser.add_argument("--api-latency", type=float, default=0.05, help="seconds per Bot API call")
    parser.add_argument(
        "--aligned",
        action="store_true",
        help="every manager's step is due at the same instant (a burst every period, like a restart backlog)",
    )
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    logging.disable(logging.ERROR)  # failed steps are counted below; their tracebacks would drown the table
    with tempfile.TemporaryDirectory(prefix="crm-managers-", dir=args.dir) as tmp:
        template = Path(tmp) / "template.sqlite3"
        migrate(template)
        levels = asyncio.run(measure(args, Path(tmp), template))
    print(
        f"\nstep every {args.period:g} s, {args.duration:g} s per level, "
        f"Bot API latency {args.api_latency * 1000:.0f} ms{', aligned' if args.aligned else ''}\n"
    )
    print("| managers | steps due | answered | p50, ms | p99, ms |\n|---:|---:|---:|---:|---:|")
    for level in levels:
        print(
            f"| {level.managers} | {level.due} | {level.share:.1%} | {level.p50 * 1000:.0f} | "
            f"{level.p99 * 1000:.0f} |"
        )
    served = [lv.managers for lv in levels if lv.answered == lv.due and lv.p99 < 2.0]
    print(f"\nhighest count with every step answered and p99 < 2 s: {max(served) if served else 'none'}")


if __name__ == "__main__":
    main()
