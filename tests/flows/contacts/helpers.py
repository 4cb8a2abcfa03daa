"""Shared steps for the contact flow tests."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Client, Contact
from tests.harness import Harness, TgUser, first_line, t, tp

STEPS = ("name", "phone", "birth_date", "email", "position", "client")

VALID = {
    "name": "Петров Пётр Петрович",
    "phone": "+7 916 123-45-67",
    "birth_date": "12.07.1990",
    "email": "petrov.p@mail.ru",
    "position": "Главный инженер",
    "client": "Ромашка",  # typed at the client step it searches the visible clients
}

PROMPTS = {step: first_line(f"contact-ask-{step}") for step in STEPS} | {
    "summary": first_line(
        "contact-summary", name="", phone="", birth_date="", email="", position="", client=""
    )
}


async def answer(user: TgUser, step: str, answers: dict[str, str] = VALID) -> list[str]:
    """Answer one step; the optional client step is skipped (typed text there only searches clients)."""
    if step == "client":
        return await user.click(tp("btn-skip"))
    return await user.send(answers[step])


async def reach(user: TgUser, step: str, **values: str) -> list[str]:
    """Start /new_contact and answer every step before ``step`` (``summary`` answers them all; the client
    step is skipped)."""
    replies = await user.send("/new_contact")
    answers = {**VALID, **values}
    for name in STEPS:
        if name == step:
            break
        replies = await answer(user, name, answers)
    return replies


def button_data(user: TgUser, label: str) -> str:
    """The callback data of the button ``label`` on the chat's latest message."""
    message = user.harness.message(user.telegram_id)
    assert message.reply_markup is not None
    for row in message.reply_markup.inline_keyboard:  # type: ignore[union-attr]
        for button in row:
            if label in button.text and button.callback_data:
                return button.callback_data
    raise AssertionError(f"no {label!r}")


async def count(sessionmaker: async_sessionmaker[AsyncSession], model: type = Contact) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def contacts(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Contact]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Contact).order_by(Contact.id)))


async def clients(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Client]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Client).order_by(Client.id)))


DUPLICATE_HEAD = t(
    "contact-duplicate", fields="", name="", phone="", birth_date="", email="", responsible=""
).split(" — ")[0]


def save_button(harness: Harness, chat_id: int) -> str:
    """The callback data of «💾 Сохранить» on the chat's summary window."""
    summary = harness.message(chat_id)
    assert summary.reply_markup is not None
    return next(
        str(b.callback_data)
        for row in summary.reply_markup.inline_keyboard
        for b in row
        if b.text == tp("btn-save")
    )
