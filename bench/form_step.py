"""One contact-form step through the real dispatcher, against a bare aiogram echo handler.

A manager types a phone at the phone step of /new_contact: access middleware, FSM state in SQLite, phone
parsing, the R5 name+phone lookup, the FSM update and the next prompt. The database holds 100k contacts,
100k leads and 300k interactions. The same updates are fed to a Dispatcher with one ``@message()`` handler
that answers the text, through the same recording Bot API session.

    python -m bench.form_step              # 600 steps
    python -m bench.form_step --steps 1000
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Chat, Message, Update, User

from bench.fill import (
    add_contacts,
    add_leads_and_interactions,
    add_users,
    connect,
    migrate,
    percentile,
    sqlite_url,
)
from bench.fill import person as bench_person
from bot.app import create_bot, create_dispatcher
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker
from handlers.legacy.contacts import ContactForm
from tests.harness import BOT_ID, TOKEN, RecordingSession

MANAGER_TELEGRAM_ID = 900_000_000  # the first user add_users makes
_ids = itertools.count(1)


def _update(text: str) -> Update:
    user = User(
        id=MANAGER_TELEGRAM_ID, is_bot=False, first_name="Менеджер", last_name="0", language_code="ru"
    )
    message = Message(
        message_id=next(_ids),
        date=datetime.now(UTC),
        chat=Chat(id=MANAGER_TELEGRAM_ID, type="private", first_name="Менеджер"),
        from_user=user,
        text=text,
    )
    return Update(update_id=next(_ids), message=message)


def echo_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    return dispatcher


async def _feed(bot: Bot, dispatcher: Dispatcher, update: Update) -> float:
    started = time.perf_counter()
    await dispatcher.feed_update(bot, update)
    return (time.perf_counter() - started) * 1000


async def measure(path: Path, steps: int, size: int) -> tuple[list[float], list[float]]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=sqlite_url(path),
        company_email_domains=["fieldcrm.ru"],
    )
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    bot = create_bot(settings, session=RecordingSession())
    dispatcher = create_dispatcher(settings, sessionmaker)
    echo = echo_dispatcher()
    state = FSMContext(
        storage=dispatcher.storage,
        key=StorageKey(bot_id=BOT_ID, chat_id=MANAGER_TELEGRAM_ID, user_id=MANAGER_TELEGRAM_ID),
    )
    await dispatcher.feed_update(bot, _update("/new_contact"))  # profile refresh, warm caches
    crm_ms: list[float] = []
    echo_ms: list[float] = []
    existing = bench_person(0, random.Random(1))
    for n in range(steps + 20):
        # Every tenth step re-enters a known person: the R5 lookup finds them and the duplicate is shown.
        duplicate = n % 10 == 0
        name = existing if duplicate else bench_person(size + n, random.Random(n))
        await state.set_state(ContactForm.phone)
        await state.set_data(
            {
                "contact_form": {
                    "_done": ["name"],
                    "name": {"surname": name.surname, "given": name.given, "patronymic": name.patronymic},
                },
                "_back": [ContactForm.name.state],
            }
        )
        phone = existing.phone if duplicate else f"+7917{n:07d}"
        crm = await _feed(bot, dispatcher, _update(phone))
        plain = await _feed(bot, echo, _update(phone))
        if n >= 20:  # the first ones warm up both
            crm_ms.append(crm)
            echo_ms.append(plain)
    await dispatcher.storage.close()
    await engine.dispose()
    return crm_ms, echo_ms


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=300_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crm-bench-", dir=args.dir) as tmp:
        path = Path(tmp) / "crm.sqlite3"
        started = time.perf_counter()
        migrate(path)
        connection = connect(path)
        users = add_users(connection, 20)
        add_contacts(connection, args.contacts, users)
        add_leads_and_interactions(connection, args.contacts, args.interactions, users)
        connection.close()
        print(
            f"filled {args.contacts:,} contacts, {args.contacts:,} leads, {args.interactions:,} interactions "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        crm, echo = asyncio.run(measure(path, args.steps, args.contacts))
    rows = [("contact form, phone step (R5 lookup)", crm), ("bare aiogram echo handler", echo)]
    print(f"\n{len(crm)} steps each\n\n| handler | p50, ms | p99, ms |\n|---|---:|---:|")
    for label, values in rows:
        print(f"| {label} | {percentile(values, 0.5):.2f} | {percentile(values, 0.99):.2f} |")
    print(
        f"\nratio form/echo: p50 {percentile(crm, 0.5) / percentile(echo, 0.5):.1f}×, "
        f"p99 {percentile(crm, 0.99) / percentile(echo, 0.99):.1f}×"
    )


if __name__ == "__main__":
    main()
