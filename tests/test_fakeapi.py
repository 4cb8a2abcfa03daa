"""Tests of the fake Telegram Bot API server, driven by a real aiogram Bot."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)

try:
    from tests.fakeapi import FakeTelegram
except ModuleNotFoundError:  # plain `pytest` without the project root on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.fakeapi import FakeTelegram

TOKEN = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
USER = 424242


async def eventually(condition: Callable[[], object], what: str, timeout: float = 5.0) -> None:
    """Poll ``condition`` without blocking the event loop (the fake server runs in it) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.01)


def advance_loop_clock(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the running loop's clock, which the fake server's rate limits read, ``seconds`` ahead."""
    loop = asyncio.get_running_loop()
    now = loop.time
    monkeypatch.setattr(loop, "time", lambda: now() + seconds)


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN, bot_username="field_crm_bot") as server:
        yield server


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    bot = Bot(TOKEN, session=session)
    try:
        yield bot
    finally:
        await bot.session.close()


@pytest.fixture
def known_user(tg: FakeTelegram) -> int:
    tg.register_chat(USER, first_name="Ivan")
    return USER


def _kb(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Go", callback_data=data)]])


def _same(a: object, b: object) -> bool:
    """Compare aiogram objects ignoring the bot context attached to parsed ones."""

    def dump(o: Any) -> Any:
        return o.model_dump(exclude_none=True) if o is not None else None

    return bool(dump(a) == dump(b))


# --------------------------------------------------------------------------- basics


async def test_get_me(bot: Bot, tg: FakeTelegram) -> None:
    me = await bot.get_me()
    assert me.id == 123456
    assert me.is_bot
    assert me.username == "field_crm_bot"
    assert tg.calls[-1].method == "getMe"
    assert tg.calls[-1].status == 200


async def test_wrong_token_and_unknown_method(tg: FakeTelegram) -> None:
    other = Bot("999:WRONG", session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await other.get_me()
    finally:
        await other.session.close()
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{tg.api_base}/noSuchMethod") as resp:
            assert resp.status == 404
            assert await resp.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        # case-insensitive method names, GET and JSON bodies work too
        async with http.get(f"{tg.api_base}/GETME") as resp:
            assert (await resp.json())["result"]["username"] == "field_crm_bot"
        tg.register_chat(7)
        async with http.post(f"{tg.api_base}/sendMessage", json={"chat_id": 7, "text": "json"}) as resp:
            assert (await resp.json())["result"]["text"] == "json"
        # garbage never crashes the server
        async with http.post(
            f"{tg.api_base}/sendMessage", data=b"\xff\xfe{{", headers={"Content-Type": "application/json"}
        ) as resp:
            assert resp.status == 400
    assert [c.status for c in tg.calls][:1] == [401]


async def test_send_message_logged(bot: Bot, tg: FakeTelegram, known_user: int) -> None:
    first = await bot.send_message(
        known_user, "Hello <b>Ivan</b>", parse_mode="HTML", reply_markup=_kb("x:1")
    )
    second = await bot.send_message(known_user, "Second")
    assert isinstance(first, Message)
    assert first.text == "Hello Ivan"
    assert first.entities is not None and first.entities[0].type == "bold"
    assert first.chat.id == known_user and first.chat.type == "private"
    assert first.from_user is not None and first.from_user.is_bot
    assert _same(first.reply_markup, _kb("x:1"))
    assert second.message_id == first.message_id + 1
    assert [m["text"] for m in tg.sent_messages(known_user)] == ["Hello <b>Ivan</b>", "Second"]
    last = tg.last_message(known_user)
    assert last is not None and last["text"] == "Second"
    assert tg.sent_messages(known_user)[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "x:1"
    # reply keyboards are accepted but (like Telegram) not echoed in the Message
    msg = await bot.send_message(
        known_user, "Share", reply_markup=ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Phone")]])
    )
    assert msg.reply_markup is None


async def test_send_validation(bot: Bot, tg: FakeTelegram, known_user: int) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(555, "who?")
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(known_user, "")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(known_user, "x" * 4097)
    await bot.send_message(known_user, "x" * 4096)
    assert [c.status for c in tg.calls] == [400, 400, 400, 200]


@pytest.mark.parametrize(
    "text",
    [
        "Client: Tom & Jerry",
        "Deal <Acme> closed",
        "<b>unclosed",
        "<b><i>x</b></i>",
        "<br>",
        '<span class="x">x</span>',
        "<script>alert(1)</script>",
    ],
)
async def test_bad_html_refused(bot: Bot, known_user: int, text: str) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(known_user, text, parse_mode="HTML")


async def test_good_html_and_markdown(bot: Bot, known_user: int) -> None:
    ok = (
        "<b>b</b> <strong>s</strong> <i>i</i> <u>u</u> <s>s</s> <tg-spoiler>sp</tg-spoiler> "
        '<span class="tg-spoiler">sp</span> <a href="https://x.org/?a=1&amp;b=2">l</a> <code>c</code> '
        '<pre><code class="language-py">p</code></pre> <blockquote>q</blockquote> &lt;&gt;&quot;&#39;&#x41;'
    )
    msg = await bot.send_message(known_user, ok, parse_mode="HTML")
    assert msg.text is not None and msg.text.endswith("<>\"'A")
    with pytest.raises(TelegramBadRequest, match="reserved"):
        await bot.send_message(known_user, "Done!", parse_mode="MarkdownV2")
    await bot.send_message(known_user, "*Done*\\!", parse_mode="MarkdownV2")


async def test_callback_data_too_long(bot: Bot, known_user: int) -> None:
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(known_user, "pick", reply_markup=_kb("x" * 65))
    # 64 bytes is fine, but 33 two-byte characters are 66 bytes
    await bot.send_message(known_user, "pick", reply_markup=_kb("x" * 64))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(known_user, "pick", reply_markup=_kb("я" * 33))


# --------------------------------------------------------------------------- edits & deletes


async def test_edit_and_delete(bot: Bot, tg: FakeTelegram, known_user: int) -> None:
    msg = await bot.send_message(known_user, "v1", reply_markup=_kb("a"))
    edited = await bot.edit_message_text(
        text="v2", chat_id=known_user, message_id=msg.message_id, reply_markup=_kb("b")
    )
    assert isinstance(edited, Message)
    assert edited.text == "v2" and edited.edit_date is not None
    stored = tg.get_message(known_user, msg.message_id)
    assert stored is not None
    assert stored["reply_markup"] == _kb("b").model_dump(exclude_none=True)

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            text="v2", chat_id=known_user, message_id=msg.message_id, reply_markup=_kb("b")
        )
    edited = await bot.edit_message_reply_markup(
        chat_id=known_user, message_id=msg.message_id, reply_markup=_kb("c")
    )
    assert isinstance(edited, Message) and _same(edited.reply_markup, _kb("c"))
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=known_user, message_id=msg.message_id, reply_markup=_kb("c")
        )
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="zzz", chat_id=known_user, message_id=9999)

    assert await bot.delete_message(known_user, msg.message_id) is True
    assert tg.get_message(known_user, msg.message_id) is None
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(known_user, msg.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="v3", chat_id=known_user, message_id=msg.message_id)


# --------------------------------------------------------------------------- updates


async def test_get_updates_offset_acknowledgement(bot: Bot, tg: FakeTelegram) -> None:
    u1 = tg.inject_message(USER, "one")
    u2 = tg.inject_command(USER, "start", "ref42")
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [u1["update_id"], u2["update_id"]]
    assert updates[0].message is not None and updates[0].message.text == "one"
    command = updates[1].message
    assert command is not None and command.text == "/start ref42"
    assert command.entities is not None and command.entities[0].type == "bot_command"
    assert command.entities[0].length == len("/start")
    assert command.from_user is not None and command.from_user.language_code == "ru"

    # not acknowledged yet -> returned again
    assert len(await bot.get_updates()) == 2
    # acknowledge the first one: it is gone for good
    rest = await bot.get_updates(offset=u1["update_id"] + 1)
    assert [u.update_id for u in rest] == [u2["update_id"]]
    assert [u.update_id for u in await bot.get_updates()] == [u2["update_id"]]
    assert [u.update_id for u in await bot.get_updates(offset=0)] == [u2["update_id"]]
    await bot.get_updates(offset=u2["update_id"] + 1)
    assert await bot.get_updates() == []
    # limit
    for i in range(5):
        tg.inject_message(USER, f"m{i}")
    assert len(await bot.get_updates(limit=3)) == 3


async def test_long_poll_timeout_and_early_return(bot: Bot, tg: FakeTelegram) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert 0.9 <= time.monotonic() - started < 3

    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await eventually(lambda: tg._update_waiters, "the long poll to wait at the server")
    tg.inject_message(USER, "wake up")
    updates = await asyncio.wait_for(poll, 5)
    assert time.monotonic() - started < 2
    assert [u.message.text for u in updates if u.message] == ["wake up"]


async def test_allowed_updates_filtering(bot: Bot, tg: FakeTelegram) -> None:
    tg.inject_message(USER, "hello")
    sent = await bot.send_message(USER, "menu", reply_markup=_kb("m"))
    tg.inject_callback(USER, sent.message_id, "m")
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.message.text for u in updates if u.message] == ["hello"]
    assert len(tg.dropped_updates) == 1


async def test_inject_callback_matches_stored_message(bot: Bot, tg: FakeTelegram) -> None:
    tg.inject_message(USER, "hi", first_name="Ivan")
    sent = await bot.send_message(USER, "Choose <i>stage</i>", parse_mode="HTML", reply_markup=_kb("stage:1"))
    with pytest.raises(LookupError):
        tg.inject_callback(USER, 9999, "stage:1")
    update = tg.inject_callback(USER, sent.message_id, "stage:1")
    assert update["callback_query"]["message"]["message_id"] == sent.message_id

    updates = await bot.get_updates(offset=update["update_id"])
    assert len(updates) == 1
    query = updates[0].callback_query
    assert query is not None and query.data == "stage:1"
    assert query.from_user.id == USER and query.from_user.first_name == "Ivan"
    assert isinstance(query.message, Message)
    assert query.message.model_dump() == sent.model_dump()

    assert await bot.answer_callback_query(query.id, text="ok") is True
    assert tg.callback_answers[query.id]["text"] == "ok"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)

    update = tg.press_button(USER, "Go")
    assert update["callback_query"]["data"] == "stage:1"


async def test_injected_media_and_contact(bot: Bot, tg: FakeTelegram) -> None:
    tg.inject_contact(USER, "+79990001122", "Ivan", "Petrov", contact_user_id=USER)
    tg.inject_document(USER, "offer.pdf", caption="see", content=b"%PDF-1.4 fake")
    tg.inject_photo(USER, caption="shop front")
    tg.inject_voice(USER, duration=5)
    tg.inject_location(USER, 55.75, 37.61)
    updates = await bot.get_updates()
    messages = [u.message for u in updates if u.message is not None]
    assert len(messages) == len(updates) == 5
    contact, document, photo, voice, location = messages
    assert contact.contact is not None and document.document is not None and photo.photo is not None
    assert voice.voice is not None and location.location is not None
    assert contact.contact.phone_number == "+79990001122" and contact.contact.user_id == USER
    assert document.document.file_name == "offer.pdf" and document.caption == "see"
    assert photo.photo[-1].width == 1280
    assert voice.voice.duration == 5
    assert location.location.latitude == pytest.approx(55.75)
    # the bot can download what the user sent
    data = await bot.download(document.document.file_id)
    assert data is not None and data.read() == b"%PDF-1.4 fake"
    # message ids are per chat and shared between the user and the bot
    sent = await bot.send_message(USER, "thanks")
    assert sent.message_id == location.message_id + 1


async def test_send_files(bot: Bot, tg: FakeTelegram, known_user: int) -> None:
    doc = await bot.send_document(
        known_user,
        BufferedInputFile(b"id;name\n1;Acme\n", filename="deals.csv"),
        caption="<b>Export</b>",
        parse_mode="HTML",
    )
    assert doc.document is not None and doc.document.file_name == "deals.csv"
    assert doc.caption == "Export"
    assert tg.uploaded_file(doc.document.file_id) == b"id;name\n1;Acme\n"
    again = await bot.send_document(known_user, doc.document.file_id)
    assert again.document is not None and again.document.file_id == doc.document.file_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(known_user, "not-a-real-file-id")
    photo = await bot.send_photo(known_user, BufferedInputFile(b"\xff\xd8jpeg", filename="p.jpg"))
    assert photo.photo and photo.photo[-1].file_id
    assert await bot.send_chat_action(known_user, "typing") is True
    calls = tg.calls_to("sendDocument", ok_only=True)
    assert len(calls) == 2


async def test_commands_per_scope(bot: Bot, tg: FakeTelegram) -> None:
    default = [
        BotCommand(command="start", description="Start"),
        BotCommand(command="help", description="Help"),
    ]
    await bot.set_my_commands(default)
    await bot.set_my_commands([BotCommand(command="start", description="Старт")], language_code="ru")
    await bot.set_my_commands(
        [BotCommand(command="admin", description="Admin")], scope=BotCommandScopeChat(chat_id=USER)
    )
    assert [c["command"] for c in tg.bot_commands()] == ["start", "help"]
    assert tg.bot_commands(language_code="ru") == [{"command": "start", "description": "Старт"}]
    assert tg.bot_commands({"type": "chat", "chat_id": USER})[0]["command"] == "admin"
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    await bot.delete_my_commands()
    assert tg.bot_commands() == []
    assert await bot.get_my_commands() == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad-Command", description="x")])


async def test_webhook_methods(bot: Bot, tg: FakeTelegram) -> None:
    assert await bot.set_webhook("https://example.org/hook") is True
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(TelegramConflictError):
        await bot.get_updates()
    tg.inject_message(USER, "pending")
    assert await bot.delete_webhook(drop_pending_updates=True) is True
    info = await bot.get_webhook_info()
    assert info.url == "" and info.pending_update_count == 0
    assert await bot.log_out() is True
    assert await bot.close() is True


# --------------------------------------------------------------------------- faults


async def test_fail_next_retry_after(bot: Bot, tg: FakeTelegram, known_user: int) -> None:
    tg.fail_next("sendMessage", status=429, retry_after=2)
    with pytest.raises(TelegramRetryAfter) as exc_info:
        await bot.send_message(known_user, "flood")
    assert exc_info.value.retry_after == 2
    assert tg.calls[-1].status == 429
    assert tg.calls[-1].description == "Too Many Requests: retry after 2"
    await bot.send_message(known_user, "ok now")  # only the next call failed


async def test_fail_next_other_statuses(bot: Bot, tg: FakeTelegram, known_user: int) -> None:
    tg.fail_next("sendMessage", status=403)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(known_user, "x")
    tg.fail_next("sendMessage", status=502, times=2)
    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.send_message(known_user, "x")
    tg.fail_next("sendMessage", status=400, description="Bad Request: custom")
    with pytest.raises(TelegramBadRequest, match="custom"):
        await bot.send_message(known_user, "x")
    tg.fail_next("getMe", status=404)
    with pytest.raises(TelegramNotFound):
        await bot.get_me()
    # chat-scoped fault only hits that chat
    tg.register_chat(777)
    tg.fail_next("sendMessage", status=500, chat_id=777)
    await bot.send_message(known_user, "unaffected")
    with pytest.raises(TelegramServerError):
        await bot.send_message(777, "x")
    assert [c.status for c in tg.calls] == [403, 502, 502, 400, 404, 200, 500]


async def test_block_user(bot: Bot, tg: FakeTelegram, known_user: int) -> None:
    msg = await bot.send_message(known_user, "before")
    tg.block_user(known_user)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(known_user, "x")
    with pytest.raises(TelegramForbiddenError):
        await bot.send_chat_action(known_user, "typing")
    with pytest.raises(TelegramForbiddenError):
        await bot.edit_message_text(text="y", chat_id=known_user, message_id=msg.message_id)
    tg.unblock_user(known_user)
    await bot.send_message(known_user, "after")
    assert [m["text"] for m in tg.sent_messages(known_user)] == ["before", "after"]


async def test_set_delay(bot: Bot, tg: FakeTelegram, known_user: int) -> None:
    tg.set_delay("sendMessage", 0.5)
    started = time.monotonic()
    await bot.send_message(known_user, "slow")
    assert time.monotonic() - started >= 0.45
    tg.set_delay("sendMessage", None)
    started = time.monotonic()
    await bot.send_message(known_user, "fast")
    assert time.monotonic() - started < 0.4


async def test_rate_limits(
    bot: Bot, tg: FakeTelegram, known_user: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    tg.enforce_rate_limits(per_chat_per_sec=1.0, global_per_sec=30.0)
    await bot.send_message(known_user, "1")
    with pytest.raises(TelegramRetryAfter) as exc_info:
        await bot.send_message(known_user, "2")
    assert exc_info.value.retry_after >= 1
    for _ in range(3):
        with pytest.raises(TelegramRetryAfter):
            await bot.send_message(known_user, "flood")
    assert tg.rate_limited_count == 4
    # another chat is not affected by the per-chat limit
    tg.register_chat(1001)
    await bot.send_message(1001, "other chat")
    advance_loop_clock(monkeypatch, 1.05)  # the per-chat window of one second has passed
    await bot.send_message(known_user, "after waiting")
    assert [m["text"] for m in tg.sent_messages(known_user)] == ["1", "after waiting"]


async def test_global_rate_limit(bot: Bot, tg: FakeTelegram) -> None:
    tg.enforce_rate_limits(per_chat_per_sec=1.0, global_per_sec=5.0)
    for chat in range(1, 8):
        tg.register_chat(chat)
    results = await asyncio.gather(
        *(bot.send_message(chat, "hi") for chat in range(1, 8)), return_exceptions=True
    )
    assert sum(isinstance(r, TelegramRetryAfter) for r in results) == 2
    assert tg.rate_limited_count == 2


# --------------------------------------------------------------------------- waiting helpers


async def test_wait_for_helpers(bot: Bot, tg: FakeTelegram, known_user: int) -> None:
    async def later() -> None:
        await eventually(lambda: tg._call_waiters, "wait_for_message to be waiting")
        await bot.send_message(known_user, "report is ready")

    task = asyncio.create_task(later())
    call = await tg.wait_for_message(known_user, contains="ready", timeout=3)
    await task
    assert call.result["text"] == "report is ready"
    assert call.message_id is not None

    with pytest.raises(TimeoutError, match="report is ready"):  # dump of the recent calls
        await tg.wait_for_message(known_user, contains="never", timeout=0.3, since=0)
    tg.inject_message(known_user, "new step")
    with pytest.raises(TimeoutError):  # default: only calls after the last inject_* count
        await tg.wait_for("sendMessage", timeout=0.2)
    mark = tg.mark()
    await bot.send_message(known_user, "next")
    assert (await tg.wait_for("sendmessage", since=mark, timeout=1)).params["text"] == "next"
    tg.clear_calls()
    assert tg.calls == [] and tg.sent_messages() == []


async def test_http_test_api(tg: FakeTelegram) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{tg.base_url}/_test/inject_message", data=json.dumps({"user_id": 5, "text": "/start"})
        ) as resp:
            body = await resp.json()
            assert body["ok"] and body["result"]["message"]["text"] == "/start"
        async with http.post(
            f"{tg.base_url}/_test/fail_next", json={"method": "getMe", "status": 502}
        ) as resp:
            assert resp.status == 200
        async with http.get(f"{tg.api_base}/getMe") as resp:
            assert resp.status == 502
        async with http.get(f"{tg.base_url}/_test/calls") as resp:
            calls = (await resp.json())["result"]
            assert calls[-1]["method"] == "getMe" and calls[-1]["status"] == 502
    assert len(tg.updates) == 1


# --------------------------------------------------------------------------- real dispatcher


async def test_dispatcher_polling_echo(tg: FakeTelegram) -> None:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}")

    dp = Dispatcher()
    dp.include_router(router)
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        tg.inject_message(USER, "hello bot")
        call = await tg.wait_for_message(USER, contains="echo: hello bot", timeout=5)
        assert call.params["chat_id"] == USER
        await eventually(lambda: tg.updates == [], "the update to be acknowledged")
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 5)
    assert len(tg.sent_messages(USER)) == 1
    assert tg.updates == []  # the update was acknowledged through offset
    assert any(c.method == "getUpdates" and c.params.get("allowed_updates") == ["message"] for c in tg.calls)
