"""A fake Telegram Bot API server for end-to-end tests of the bot.

Runs inside the test's event loop (aiohttp.web); the bot under test is pointed at it with
``TelegramAPIServer.from_base(tg.base_url)``. See ``FakeTelegram`` for the API.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import logging
import math
import mimetypes
import re
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import BodyPartReader, web

from .formatting import EntityParseError, format_text, utf16_len

__all__ = [
    "DEFAULT_TOKEN",
    "Call",
    "FakeTelegram",
    "FileRecord",
    "TelegramError",
    "UploadedFile",
    "iter_buttons",
]

log = logging.getLogger("tests.fakeapi")

DEFAULT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

MAX_TEXT_LEN = 4096
MAX_CAPTION_LEN = 1024
MAX_CALLBACK_DATA = 64

# Fields whose form-encoded value is a JSON document.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
        "results",
        "menu_button",
        "message_ids",
        "reaction",
        "options",
        "rights",
        "permissions",
        "button",
    }
)
INT_FIELDS = frozenset(
    {
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "reply_to_message_id",
        "message_thread_id",
        "from_chat_id",
        "duration",
        "width",
        "height",
        "max_connections",
    }
)
BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "show_caption_above_media",
        "disable_content_type_detection",
        "for_channels",
        "allow_paid_broadcast",
    }
)

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

# Methods that deliver something to a chat: refused with 403 when the user blocked the bot.
BLOCKABLE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendLocation",
        "sendChatAction",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "pinChatMessage",
    }
)
# Methods counted by enforce_rate_limits().
RATE_LIMITED_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendLocation"})

DEFAULT_ALLOWED_UPDATES_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    413: "Request Entity Too Large",
    420: "Flood",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class TelegramError(Exception):
    """Raised inside method handlers; turned into a Telegram-shaped error response."""

    def __init__(self, status: int, description: str | None = None, retry_after: int | None = None) -> None:
        if description is None:
            description = default_description(status, retry_after)
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def default_description(status: int, retry_after: int | None = None) -> str:
    if status == 429:
        return f"Too Many Requests: retry after {retry_after if retry_after is not None else 1}"
    if status in _DEFAULT_DESCRIPTIONS:
        return _DEFAULT_DESCRIPTIONS[status]
    if status >= 500:
        return "Internal Server Error"
    return "Bad Request"


def bad_request(text: str) -> TelegramError:
    return TelegramError(400, f"Bad Request: {text}")


@dataclass
class Call:
    """One Bot API request as seen by the server (logged after it was answered)."""

    method: str
    params: dict[str, Any]
    at: float
    status: int
    result: Any = None
    description: str | None = None
    seq: int = 0

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def text(self) -> str | None:
        value = self.params.get("text", self.params.get("caption"))
        return None if value is None else str(value)

    @property
    def message_id(self) -> int | None:
        if isinstance(self.result, dict):
            return self.result.get("message_id")
        return None

    def short(self, width: int = 160) -> str:
        params = {k: v for k, v in self.params.items() if v is not None}
        text = f"{self.method} [{self.status}] {params!r}"
        if self.description:
            text += f" -> {self.description}"
        return text if len(text) <= width else text[: width - 3] + "..."


@dataclass
class UploadedFile:
    """A file uploaded by the bot in a multipart request."""

    field_name: str
    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass
class FileRecord:
    file_id: str
    file_unique_id: str
    kind: str
    file_size: int | None = None
    file_name: str | None = None
    mime_type: str | None = None
    content: bytes | None = None
    file_path: str | None = None


@dataclass
class _Fault:
    method: str  # lower-case, "*" for any
    status: int
    description: str | None
    retry_after: int | None
    remaining: int
    chat_id: int | str | None


class _SlidingWindow:
    def __init__(self, rate: float) -> None:
        rate = max(float(rate), 1e-6)
        self.window = max(1.0, 1.0 / rate)
        self.capacity = max(1, math.floor(rate * self.window + 1e-9))
        self.hits: deque[float] = deque()

    def check(self, now: float) -> int | None:
        """Return None if a hit is allowed now, else the retry_after in seconds."""
        while self.hits and self.hits[0] <= now - self.window:
            self.hits.popleft()
        if len(self.hits) < self.capacity:
            return None
        return max(1, math.ceil(self.hits[0] + self.window - now))

    def hit(self, now: float) -> None:
        self.hits.append(now)


def _norm_chat_id(value: Any) -> int | str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text or None


def _coerce(key: str, value: Any) -> Any:
    """Convert a form-encoded string value to what Telegram would understand."""
    if not isinstance(value, str):
        if key == "chat_id":
            return _norm_chat_id(value)
        return value
    if key in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if key in ("chat_id", "from_chat_id"):
        return _norm_chat_id(value)
    if key in INT_FIELDS:
        with contextlib.suppress(ValueError):
            return int(value)
        return value
    if key in BOOL_FIELDS:
        low = value.strip().lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0", ""):
            return False
    if key in ("latitude", "longitude"):
        with contextlib.suppress(ValueError):
            return float(value)
    return value


def _update_chat(update: dict[str, Any]) -> Any:
    """The chat an update belongs to (its sender's, for a callback query without a message)."""
    for value in update.values():
        if isinstance(value, dict):
            message = value.get("message", value)
            chat = message.get("chat") if isinstance(message, dict) else None
            if isinstance(chat, dict):
                return chat.get("id")
            sender = value.get("from")
            if isinstance(sender, dict):
                return sender.get("id")
    return None


def _update_type(update: dict[str, Any]) -> str:
    for key in update:
        if key != "update_id":
            return key
    return "unknown"


class FakeTelegram:
    """Fake Telegram Bot API server.

    Usage::

        async with FakeTelegram(token=TOKEN) as tg:
            bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
            tg.inject_message(42, "/start")
            call = await tg.wait_for_message(42, contains="Welcome")
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "field_crm_bot",
        *,
        bot_first_name: str = "Field CRM",
        strict_file_ids: bool = True,
        accept_any_token: bool = False,
        allow_http_webhook: bool = False,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.strict_file_ids = strict_file_ids
        self.accept_any_token = accept_any_token
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456789
        self.bot_user: dict[str, Any] = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }

        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []  # pending (not acknowledged) updates
        self.dropped_updates: list[dict[str, Any]] = []  # filtered out by allowed_updates
        self.files: dict[str, FileRecord] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.webhook_url: str = ""
        # Webhook delivery (``setWebhook``): pending updates are POSTed to the URL with the secret header, one
        # at a time per chat, up to ``max_connections`` at once, retried until answered 200.
        self.allow_http_webhook = allow_http_webhook
        self.webhook_secret: str | None = None
        self.webhook_max_connections = 40
        self.webhook_delivered = 0
        self._webhook_task: asyncio.Task[None] | None = None
        self.allowed_updates: list[str] = []
        self.rate_limited_count = 0

        self._chats: dict[int | str, dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._messages: dict[int | str, dict[int, dict[str, Any]]] = {}
        self._next_message_id: dict[int | str, int] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._pending_callbacks: set[str] = set()
        self._faults: list[_Fault] = []
        self._delays: dict[str, float] = {}
        self._blocked: set[int | str] = set()
        self._rate_limits: tuple[float, float] | None = None
        self._chat_windows: dict[int | str, _SlidingWindow] = {}
        self._global_window: _SlidingWindow | None = None

        self._update_ids = itertools.count(100_000_001)
        self._call_seq = itertools.count(1)
        self._ids = itertools.count(1)
        self._inject_mark = 0
        self._last_seq = 0

        self._update_waiters: set[asyncio.Future[str]] = set()
        self._call_waiters: set[asyncio.Future[None]] = set()
        self._current_poll: asyncio.Future[str] | None = None
        self._closing: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self.host = "127.0.0.1"
        self.port = 0

        self._handlers: dict[str, Callable[[dict[str, Any], dict[str, UploadedFile]], Any]] = {
            "getMe": self._m_get_me,
            "getUpdates": self._m_get_updates,
            "sendMessage": self._m_send_message,
            "editMessageText": self._m_edit_message_text,
            "editMessageReplyMarkup": self._m_edit_message_reply_markup,
            "editMessageCaption": self._m_edit_message_caption,
            "answerCallbackQuery": self._m_answer_callback_query,
            "deleteMessage": self._m_delete_message,
            "deleteMessages": self._m_delete_messages,
            "sendPhoto": self._m_send_photo,
            "sendDocument": self._m_send_document,
            "sendVoice": self._m_send_voice,
            "sendLocation": self._m_send_location,
            "sendChatAction": self._m_send_chat_action,
            "setMyCommands": self._m_set_my_commands,
            "deleteMyCommands": self._m_delete_my_commands,
            "getMyCommands": self._m_get_my_commands,
            "setWebhook": self._m_set_webhook,
            "deleteWebhook": self._m_delete_webhook,
            "getWebhookInfo": self._m_get_webhook_info,
            "getChat": self._m_get_chat,
            "getFile": self._m_get_file,
            "close": self._m_ok,
            "logOut": self._m_ok,
            "setMyDescription": self._m_ok,
            "setMyShortDescription": self._m_ok,
            "setMyName": self._m_ok,
            "setChatMenuButton": self._m_ok,
            "pinChatMessage": self._m_pin,
            "unpinChatMessage": self._m_ok,
            "unpinAllChatMessages": self._m_ok,
            "setMessageReaction": self._m_ok,
        }
        self._methods_lc = {name.lower(): name for name in self._handlers}

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        if not self.port:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        """``{base_url}/bot{token}`` — handy for curl."""
        return f"{self.base_url}/bot{self.token}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeTelegram:
        if self._runner is not None:
            return self
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/_test/{action}", self._handle_test_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("*", "/{tail:.*}", self._handle_not_found)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self.host = host
        self.port = int(runner.addresses[0][1])
        log.debug("FakeTelegram listening on %s", self.base_url)
        return self

    async def stop(self) -> None:
        if self._closing is not None:
            self._closing.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        self._wake_updates("closed")
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ HTTP layer

    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        ctype = request.content_type or ""
        if request.method not in ("GET", "HEAD") and request.can_read_body:
            if ctype == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise ValueError("JSON body must be an object")
                raw.update(body)
            elif ctype.startswith("multipart/"):
                reader = await request.multipart()
                while True:
                    part = await reader.next()
                    if part is None:
                        break
                    if not isinstance(part, BodyPartReader):  # nested multipart: ignore
                        continue
                    name = part.name or ""
                    data = await part.read(decode=True)
                    if part.filename is not None:
                        files[name] = UploadedFile(
                            field_name=name,
                            filename=part.filename,
                            content_type=part.headers.get("Content-Type"),
                            data=bytes(data),
                        )
                    else:
                        charset = part.get_charset(default="utf-8")
                        raw[name] = bytes(data).decode(charset, errors="replace")
            else:
                text = await request.text()
                if text:
                    raw.update(parse_qsl(text, keep_blank_values=True))
        params = {key: _coerce(key, value) for key, value in raw.items()}
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                ref = value[len("attach://") :]
                if ref in files:
                    params[key] = files[ref]
        for key, upload in files.items():
            params.setdefault(key, upload)
        return params, files

    async def _handle_api(self, request: web.Request) -> web.Response:
        at = time.time()
        token = request.match_info.get("token", "")
        raw_method = request.match_info.get("method", "")
        method = self._methods_lc.get(raw_method.lower())
        params: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        status = 200
        body: dict[str, Any]
        try:
            try:
                params, files = await self._read_params(request)
            except Exception as exc:
                raise bad_request(f"can't parse request: {exc}") from exc
            result = await self._dispatch(token, method or raw_method, method is not None, params, files)
            body = {"ok": True, "result": result}
        except TelegramError as exc:
            status = exc.status
            body = exc.body()
        except Exception as exc:  # never crash on odd input
            log.exception("FakeTelegram: internal error in %s", raw_method)
            status = 500
            body = {"ok": False, "error_code": 500, "description": f"Internal Server Error: {exc!r}"}
        self._log_call(
            Call(
                method=method or raw_method,
                params=params,
                at=at,
                status=status,
                result=body.get("result"),
                description=body.get("description"),
            )
        )
        return web.json_response(body, status=status)

    async def _handle_not_found(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)

    async def _handle_file(self, request: web.Request) -> web.Response:
        if not self._token_ok(request.match_info.get("token", "")):
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        path = request.match_info.get("path", "")
        for record in self.files.values():
            if record.file_path == path:
                return web.Response(
                    body=record.content if record.content is not None else b"",
                    content_type=record.mime_type or "application/octet-stream",
                )
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)

    def _token_ok(self, token: str) -> bool:
        if self.accept_any_token:
            return bool(re.fullmatch(r"\d+:[\w-]+", token))
        return token == self.token

    async def _dispatch(
        self,
        token: str,
        method: str,
        known: bool,
        params: dict[str, Any],
        files: dict[str, UploadedFile],
    ) -> Any:
        if not self._token_ok(token):
            raise TelegramError(401, "Unauthorized")
        if not known:
            raise TelegramError(404, "Not Found: method not found")
        delay = self._delays.get(method.lower(), self._delays.get("*"))
        if delay:
            await self._sleep(delay)
        chat_id = _norm_chat_id(params.get("chat_id"))
        fault = self._take_fault(method, chat_id)
        if fault is not None:
            raise TelegramError(fault.status, fault.description, fault.retry_after)
        if method in BLOCKABLE_METHODS and chat_id is not None and chat_id in self._blocked:
            raise TelegramError(403, "Forbidden: bot was blocked by the user")
        handler = self._handlers[method]
        if method in RATE_LIMITED_METHODS and self._rate_limits is not None and chat_id is not None:
            self._check_rate_limit(chat_id)
        result = handler(params, files)
        if asyncio.iscoroutine(result):
            result = await result
        return result

    async def _sleep(self, seconds: float) -> None:
        if self._closing is None:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    def _log_call(self, call: Call) -> None:
        call.seq = next(self._call_seq)
        self._last_seq = call.seq
        self.calls.append(call)
        for fut in list(self._call_waiters):
            if not fut.done():
                fut.set_result(None)

    # ------------------------------------------------------------------ faults & limits

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` ("*" = any) fail with a Telegram-shaped error."""
        if status == 429 and retry_after is None:
            retry_after = 1
        self._faults.append(
            _Fault(
                method=method.lower(),
                status=int(status),
                description=description,
                retry_after=retry_after,
                remaining=int(times),
                chat_id=_norm_chat_id(chat_id),
            )
        )

    def clear_faults(self) -> None:
        self._faults.clear()

    def _take_fault(self, method: str, chat_id: int | str | None) -> _Fault | None:
        for fault in self._faults:
            if fault.method not in ("*", method.lower()):
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            return fault
        return None

    def block_user(self, chat_id: int | str) -> None:
        """Every message/edit/chat action to ``chat_id`` gets 403 "bot was blocked by the user"."""
        normalized = _norm_chat_id(chat_id)
        if normalized is not None:
            self._blocked.add(normalized)

    def unblock_user(self, chat_id: int | str) -> None:
        normalized = _norm_chat_id(chat_id)
        if normalized is not None:
            self._blocked.discard(normalized)

    def set_delay(self, method: str, seconds: float | None) -> None:
        """Delay answers to ``method`` ("*" = all methods). 0/None removes the delay."""
        if seconds:
            self._delays[method.lower()] = float(seconds)
        else:
            self._delays.pop(method.lower(), None)

    def enforce_rate_limits(self, per_chat_per_sec: float = 1.0, global_per_sec: float = 30.0) -> None:
        """Answer sends beyond Telegram's flood limits with 429 + retry_after (sliding windows)."""
        self._rate_limits = (float(per_chat_per_sec), float(global_per_sec))
        self._chat_windows.clear()
        self._global_window = _SlidingWindow(global_per_sec)

    def disable_rate_limits(self) -> None:
        self._rate_limits = None
        self._chat_windows.clear()
        self._global_window = None

    def _check_rate_limit(self, chat_id: int | str) -> None:
        assert self._rate_limits is not None and self._global_window is not None
        now = asyncio.get_running_loop().time()
        window = self._chat_windows.get(chat_id)
        if window is None:
            window = self._chat_windows[chat_id] = _SlidingWindow(self._rate_limits[0])
        retry = window.check(now)
        if retry is None:
            retry = self._global_window.check(now)
        if retry is not None:
            self.rate_limited_count += 1
            raise TelegramError(429, retry_after=retry)
        window.hit(now)
        self._global_window.hit(now)

    # ------------------------------------------------------------------ chats & messages

    def register_chat(
        self,
        chat_id: int,
        *,
        first_name: str = "Test",
        chat_type: str = "private",
        title: str | None = None,
        username: str | None = None,
    ) -> dict[str, Any]:
        """Make ``chat_id`` known (as if the user had started the bot) without injecting an update."""
        chat_id = int(chat_id)
        if chat_type == "private":
            chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": first_name}
            if username:
                chat["username"] = username
            self._users.setdefault(chat_id, {"id": chat_id, "is_bot": False, "first_name": first_name})
        else:
            chat = {"id": chat_id, "type": chat_type, "title": title or "Test group"}
        self._chats[chat_id] = chat
        return chat

    def _require_chat(self, params: dict[str, Any]) -> int | str:
        raw = params.get("chat_id")
        chat_id = _norm_chat_id(raw)
        if chat_id is None:
            raise bad_request("chat_id is empty")
        if chat_id not in self._chats:
            raise bad_request("chat not found")
        return chat_id

    def _new_message(self, chat_id: int | str, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": copy.deepcopy(sender),
            "chat": copy.deepcopy(self._chats[chat_id]),
            "date": int(time.time()),
        }
        message.update({k: v for k, v in content.items() if v is not None})
        self._messages.setdefault(chat_id, {})[message_id] = message
        return message

    def get_message(self, chat_id: int | str, message_id: int) -> dict[str, Any] | None:
        """Current state of a stored message (bot's or user's), None if unknown/deleted."""
        message = self._messages.get(_norm_chat_id(chat_id), {}).get(int(message_id))  # type: ignore[arg-type]
        return copy.deepcopy(message) if message is not None else None

    def chat_history(self, chat_id: int | str) -> list[dict[str, Any]]:
        """All live (not deleted) messages of a chat, user's and bot's, in order."""
        return [copy.deepcopy(m) for m in self._messages.get(_norm_chat_id(chat_id), {}).values()]  # type: ignore[arg-type]

    def bot_messages(self, chat_id: int | str) -> list[dict[str, Any]]:
        """Live messages sent by the bot in a chat (with edits applied)."""
        return [m for m in self.chat_history(chat_id) if m.get("from", {}).get("is_bot")]

    def _lookup(self, params: dict[str, Any], action: str) -> tuple[int | str, dict[str, Any]]:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat_id = self._require_chat(params)
        try:
            message_id = int(params.get("message_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise bad_request(f"message to {action} not found") from None
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            raise bad_request(f"message to {action} not found")
        return chat_id, message

    # ------------------------------------------------------------------ validation helpers

    def _format(
        self, text: str, params: dict[str, Any], entities_key: str = "entities"
    ) -> tuple[str, list[dict[str, Any]] | None]:
        parse_mode = params.get("parse_mode")
        if parse_mode and str(parse_mode).strip().lower() not in ("html", "markdown", "markdownv2"):
            raise bad_request("unsupported parse_mode")
        try:
            return format_text(text, parse_mode, params.get(entities_key))
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None

    def _check_markup(self, markup: Any) -> dict[str, Any] | None:
        """Validate reply_markup; return the inline keyboard to echo (Telegram echoes only those)."""
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            for row in rows:
                for button in row:
                    self._check_inline_button(button)
            return markup
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request("can't parse reply keyboard markup JSON object")
            for row in rows:
                for button in row:
                    text = button if isinstance(button, str) else (button or {}).get("text")
                    if not text:
                        raise bad_request("keyboard button text must be non-empty")
            return None
        if markup.get("remove_keyboard") or markup.get("force_reply"):
            return None
        raise bad_request("can't parse reply keyboard markup JSON object")

    def _check_inline_button(self, button: Any) -> None:
        if not isinstance(button, dict):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
        if not button.get("text"):
            raise bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
            )
        actions = [
            k
            for k in (
                "callback_data",
                "url",
                "web_app",
                "login_url",
                "switch_inline_query",
                "switch_inline_query_current_chat",
                "switch_inline_query_chosen_chat",
                "copy_text",
                "callback_game",
                "pay",
            )
            if k in button
        ]
        if not actions:
            raise bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not (1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA):
                raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button:
            url = str(button["url"])
            if not re.match(r"^(https?|tg)://\S+$", url):
                raise bad_request("BUTTON_URL_INVALID")

    def _reply_to(self, chat_id: int | str, params: dict[str, Any]) -> dict[str, Any] | None:
        reply_id = params.get("reply_to_message_id")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        rp = params.get("reply_parameters")
        if isinstance(rp, dict):
            reply_id = rp.get("message_id", reply_id)
            allow_missing = allow_missing or bool(rp.get("allow_sending_without_reply"))
        if reply_id is None:
            return None
        try:
            original = self._messages.get(chat_id, {}).get(int(reply_id))
        except (TypeError, ValueError):
            original = None
        if original is None:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        reply = copy.deepcopy(original)
        reply.pop("reply_to_message", None)
        return reply

    def _caption(self, params: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]] | None]:
        caption = params.get("caption")
        if caption is None or caption == "":
            return None, None
        text, entities = self._format(str(caption), params, "caption_entities")
        if len(text) > MAX_CAPTION_LEN:
            raise bad_request("message caption is too long")
        return text, entities

    # ------------------------------------------------------------------ files

    def _new_file_ids(self, kind: str) -> tuple[str, str]:
        n = next(self._ids)
        file_id = f"{kind[:2].upper()}AgAC{n:06d}{secrets.token_urlsafe(12)}"
        unique = f"AQAD{n:06d}{secrets.token_hex(3)}"
        return file_id, unique

    def register_file(
        self,
        kind: str = "document",
        *,
        content: bytes | None = None,
        file_name: str | None = None,
        mime_type: str | None = None,
        file_size: int | None = None,
        file_id: str | None = None,
    ) -> FileRecord:
        """Create a file the bot can reference by file_id (and download via getFile)."""
        new_id, unique = self._new_file_ids(kind)
        file_id = file_id or new_id
        if file_size is None and content is not None:
            file_size = len(content)
        ext = ""
        if file_name and "." in file_name:
            ext = file_name.rsplit(".", 1)[1]
        elif mime_type:
            ext = (mimetypes.guess_extension(mime_type) or "").lstrip(".")
        path = f"{kind}s/file_{unique}{'.' + ext if ext else ''}"
        record = FileRecord(
            file_id=file_id,
            file_unique_id=unique,
            kind=kind,
            file_size=file_size,
            file_name=file_name,
            mime_type=mime_type,
            content=content,
            file_path=path,
        )
        self.files[file_id] = record
        return record

    def uploaded_file(self, file_id: str) -> bytes | None:
        """Content of a file the bot uploaded (sendDocument/sendPhoto) or a test injected."""
        record = self.files.get(file_id)
        return record.content if record else None

    def _input_file(self, params: dict[str, Any], key: str, kind: str) -> FileRecord:
        value = params.get(key)
        if value is None or value == "":
            raise bad_request(f"there is no {kind} in the request")
        if isinstance(value, UploadedFile):
            mime = value.content_type
            if not mime or mime == "application/octet-stream":
                mime = mimetypes.guess_type(value.filename or "")[0] or mime
            return self.register_file(kind, content=value.data, file_name=value.filename, mime_type=mime)
        text = str(value)
        if text in self.files:
            return self.files[text]
        if text.startswith("attach://"):
            raise bad_request("wrong file identifier/HTTP URL specified")
        if re.match(r"^https?://\S+$", text):
            name = text.rstrip("/").rsplit("/", 1)[-1] or None
            return self.register_file(kind, file_name=name, mime_type=mimetypes.guess_type(text)[0])
        if self.strict_file_ids:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return self.register_file(kind, file_id=text)

    @staticmethod
    def _document_obj(record: FileRecord) -> dict[str, Any]:
        obj: dict[str, Any] = {"file_id": record.file_id, "file_unique_id": record.file_unique_id}
        for key in ("file_name", "mime_type", "file_size"):
            value = getattr(record, key)
            if value is not None:
                obj[key] = value
        return obj

    def _photo_sizes(self, record: FileRecord, width: int = 1280, height: int = 960) -> list[dict[str, Any]]:
        sizes = []
        for factor in (0.07, 0.25):
            small_id, small_unique = self._new_file_ids("photo")
            self.files[small_id] = FileRecord(small_id, small_unique, "photo", file_path=record.file_path)
            sizes.append(
                {
                    "file_id": small_id,
                    "file_unique_id": small_unique,
                    "width": max(1, int(width * factor)),
                    "height": max(1, int(height * factor)),
                }
            )
        largest: dict[str, Any] = {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "width": width,
            "height": height,
        }
        if record.file_size is not None:
            largest["file_size"] = record.file_size
        sizes.append(largest)
        return sizes

    # ------------------------------------------------------------------ Bot API methods

    def _m_ok(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        return True

    def _m_get_me(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_get_updates(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise TelegramError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        try:
            offset = int(params.get("offset") or 0)
            limit = int(params.get("limit") or 100)
            timeout = float(params.get("timeout") or 0)
        except (TypeError, ValueError):
            raise bad_request("invalid getUpdates parameters") from None
        limit = min(max(limit, 1), 100)
        timeout = max(timeout, 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(a) for a in allowed]

        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]

        # a newer getUpdates terminates an older long poll, like Telegram does
        previous = self._current_poll
        if previous is not None and not previous.done():
            previous.set_result("conflict")

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._filter_allowed()
            if self.updates or (self._closing is not None and self._closing.is_set()):
                break
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            fut: asyncio.Future[str] = loop.create_future()
            self._update_waiters.add(fut)
            self._current_poll = fut
            try:
                reason = await asyncio.wait_for(fut, remaining)
            except TimeoutError:
                break
            finally:
                self._update_waiters.discard(fut)
                if self._current_poll is fut:
                    self._current_poll = None
            if reason == "conflict":
                raise TelegramError(409)
            if reason == "closed":
                break
        return copy.deepcopy(self.updates[:limit])

    def _filter_allowed(self) -> None:
        allowed = set(self.allowed_updates)
        keep: list[dict[str, Any]] = []
        for update in self.updates:
            kind = _update_type(update)
            ok = kind in allowed if allowed else kind not in DEFAULT_ALLOWED_UPDATES_EXCLUDED
            (keep if ok else self.dropped_updates).append(update)
        self.updates = keep

    def _m_send_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        raw = params.get("text")
        if raw is None or str(raw) == "":
            raise bad_request("message text is empty")
        text, entities = self._format(str(raw), params)
        if not text.strip():
            raise bad_request("message text is empty")
        if len(text) > MAX_TEXT_LEN:
            raise bad_request("message is too long")
        markup = self._check_markup(params.get("reply_markup"))
        reply = self._reply_to(chat_id, params)
        return copy.deepcopy(
            self._new_message(
                chat_id,
                self.bot_user,
                text=text,
                entities=entities,
                reply_markup=markup,
                reply_to_message=reply,
            )
        )

    def _m_edit_message_text(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
        _, message = self._lookup(params, "edit")
        raw = params.get("text")
        if raw is None or str(raw) == "":
            raise bad_request("message text is empty")
        text, entities = self._format(str(raw), params)
        if not text.strip():
            raise bad_request("message text is empty")
        if len(text) > MAX_TEXT_LEN:
            raise bad_request("MESSAGE_TOO_LONG")
        markup = self._check_markup(params.get("reply_markup"))
        if not message.get("from", {}).get("is_bot"):
            raise bad_request("message can't be edited")
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        if (
            message.get("text") == text
            and message.get("entities") == entities
            and message.get("reply_markup") == markup
        ):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message"
            )
        message["text"] = text
        self._set_optional(message, "entities", entities)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _m_edit_message_caption(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> dict[str, Any]:
        _, message = self._lookup(params, "edit")
        caption, entities = self._caption(params)
        markup = self._check_markup(params.get("reply_markup"))
        if not message.get("from", {}).get("is_bot"):
            raise bad_request("message can't be edited")
        if "text" in message:
            raise bad_request("there is no caption in the message to edit")
        if (
            message.get("caption") == caption
            and message.get("caption_entities") == entities
            and message.get("reply_markup") == markup
        ):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message"
            )
        self._set_optional(message, "caption", caption)
        self._set_optional(message, "caption_entities", entities)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _m_edit_message_reply_markup(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> dict[str, Any]:
        _, message = self._lookup(params, "edit")
        markup = self._check_markup(params.get("reply_markup"))
        if not message.get("from", {}).get("is_bot"):
            raise bad_request("message can't be edited")
        if message.get("reply_markup") == markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message"
            )
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    @staticmethod
    def _set_optional(obj: dict[str, Any], key: str, value: Any) -> None:
        if value is None:
            obj.pop(key, None)
        else:
            obj[key] = value

    def _m_answer_callback_query(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._pending_callbacks:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._pending_callbacks.discard(query_id)
        self.callback_answers[query_id] = dict(params)
        return True

    def _m_delete_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        chat_id, message = self._lookup(params, "delete")
        del self._messages[chat_id][message["message_id"]]
        return True

    def _m_delete_messages(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        chat_id = self._require_chat(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not ids:
            raise bad_request("message identifiers are not specified")
        for message_id in ids:
            with contextlib.suppress(TypeError, ValueError):
                self._messages.get(chat_id, {}).pop(int(message_id), None)
        return True

    def _m_send_photo(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        record = self._input_file(params, "photo", "photo")
        caption, entities = self._caption(params)
        markup = self._check_markup(params.get("reply_markup"))
        return copy.deepcopy(
            self._new_message(
                chat_id,
                self.bot_user,
                photo=self._photo_sizes(record),
                caption=caption,
                caption_entities=entities,
                reply_markup=markup,
                reply_to_message=self._reply_to(chat_id, params),
            )
        )

    def _m_send_document(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        record = self._input_file(params, "document", "document")
        caption, entities = self._caption(params)
        markup = self._check_markup(params.get("reply_markup"))
        return copy.deepcopy(
            self._new_message(
                chat_id,
                self.bot_user,
                document=self._document_obj(record),
                caption=caption,
                caption_entities=entities,
                reply_markup=markup,
                reply_to_message=self._reply_to(chat_id, params),
            )
        )

    def _m_send_voice(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        record = self._input_file(params, "voice", "voice")
        caption, entities = self._caption(params)
        markup = self._check_markup(params.get("reply_markup"))
        voice = {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "duration": int(params.get("duration") or 1),
            "mime_type": record.mime_type or "audio/ogg",
        }
        return copy.deepcopy(
            self._new_message(
                chat_id,
                self.bot_user,
                voice=voice,
                caption=caption,
                caption_entities=entities,
                reply_markup=markup,
            )
        )

    def _m_send_location(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        try:
            lat = float(params["latitude"])
            lon = float(params["longitude"])
        except (KeyError, TypeError, ValueError):
            raise bad_request("wrong latitude/longitude specified") from None
        markup = self._check_markup(params.get("reply_markup"))
        return copy.deepcopy(
            self._new_message(
                chat_id,
                self.bot_user,
                location={"latitude": lat, "longitude": lon},
                reply_markup=markup,
            )
        )

    def _m_send_chat_action(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        self._require_chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _m_pin(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        self._lookup(params, "pin")
        return True

    def _m_get_chat(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        chat = copy.deepcopy(self._chats[chat_id])
        chat.setdefault("accent_color_id", 0)
        chat.setdefault("max_reaction_count", 11)
        return chat

    def _m_get_file(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
        record = self.files.get(str(params.get("file_id") or ""))
        if record is None:
            raise bad_request("invalid file_id")
        result: dict[str, Any] = {"file_id": record.file_id, "file_unique_id": record.file_unique_id}
        if record.file_size is not None:
            result["file_size"] = record.file_size
        if record.file_path:
            result["file_path"] = record.file_path
        return result

    # --- commands

    @staticmethod
    def _scope_key(scope: Any) -> str:
        if scope is None or scope == "":
            scope = {"type": "default"}
        elif isinstance(scope, str):
            scope = {"type": scope}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope")
        scope = dict(scope)
        for key in ("chat_id", "user_id"):
            if key in scope:
                scope[key] = _norm_chat_id(scope[key])
        return json.dumps(scope, sort_keys=True)

    def _m_set_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands")
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand")
            if not _COMMAND_RE.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            description = str(command.get("description", ""))
            if not (1 <= len(description) <= 256):
                raise bad_request(
                    "command description is empty" if not description else "BOT_COMMAND_INVALID"
                )
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        if commands:
            self._commands[key] = [
                {"command": str(c["command"]), "description": str(c["description"])} for c in commands
            ]
        else:
            self._commands.pop(key, None)
        return True

    def _m_delete_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self._commands.pop(key, None)
        return True

    def _m_get_my_commands(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> list[dict[str, Any]]:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return copy.deepcopy(self._commands.get(key, []))

    def bot_commands(
        self, scope: dict[str, Any] | str | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """Commands stored by setMyCommands for exactly this scope (default: {"type": "default"})."""
        return copy.deepcopy(self._commands.get((self._scope_key(scope), language_code or ""), []))

    @property
    def all_bot_commands(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """Every stored command list keyed by (scope JSON with sorted keys, language_code)."""
        return copy.deepcopy(self._commands)

    # --- webhook

    def _m_set_webhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        url = str(params.get("url") or "")
        if (
            url
            and not url.startswith("https://")
            and not (self.allow_http_webhook and url.startswith("http://"))
        ):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url = url
        self.webhook_secret = params.get("secret_token") or None
        self.webhook_max_connections = int(params.get("max_connections") or 40)
        if params.get("drop_pending_updates"):
            self.updates.clear()
        if url and self._webhook_task is None:
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_by_webhook())
        return True

    async def _deliver_by_webhook(self) -> None:
        """POST pending updates to ``webhook_url`` as Telegram does, while a webhook is set."""
        import aiohttp

        in_flight: dict[int, asyncio.Task[bool]] = {}  # update_id -> its POST
        busy: set[Any] = set()  # chats with an update in flight: each chat's updates go in order
        retry_at: dict[int, float] = {}
        async with aiohttp.ClientSession() as http:

            async def post(update: dict[str, Any]) -> bool:
                headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret or ""}
                try:
                    async with http.post(self.webhook_url, json=update, headers=headers) as response:
                        await response.read()
                        return response.status == 200
                except (TimeoutError, aiohttp.ClientError, OSError):
                    return False

            while self.webhook_url:
                now = time.monotonic()
                for update in list(self.updates):
                    uid, chat = update["update_id"], _update_chat(update)
                    if len(in_flight) >= self.webhook_max_connections:
                        break
                    if uid in in_flight or chat in busy or retry_at.get(uid, 0.0) > now:
                        busy.add(chat)  # a later update of this chat waits for this one
                        continue
                    busy.add(chat)
                    in_flight[uid] = asyncio.ensure_future(post(update))
                busy.clear()
                waker: asyncio.Future[str] = asyncio.get_running_loop().create_future()
                self._update_waiters.add(waker)
                await asyncio.wait(
                    [waker, *in_flight.values()], timeout=0.2, return_when=asyncio.FIRST_COMPLETED
                )
                self._update_waiters.discard(waker)
                for uid, task in list(in_flight.items()):
                    if not task.done():
                        continue
                    del in_flight[uid]
                    if task.result():
                        self.updates = [u for u in self.updates if u["update_id"] != uid]
                        self.webhook_delivered += 1
                        retry_at.pop(uid, None)
                    else:
                        retry_at[uid] = time.monotonic() + 0.5

    def _m_delete_webhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> bool:
        self.webhook_url = ""
        self._webhook_task = None  # the delivery loop ends on its own once the URL is gone
        if params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    def _m_get_webhook_info(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.allowed_updates:
            info["allowed_updates"] = list(self.allowed_updates)
        return info

    # ------------------------------------------------------------------ user side: injecting updates

    def _wake_updates(self, reason: str = "update") -> None:
        for fut in list(self._update_waiters):
            if not fut.done():
                fut.set_result(reason)

    def inject_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (``update_id`` is assigned when missing)."""
        update = copy.deepcopy(update)
        update.setdefault("update_id", next(self._update_ids))
        self.updates.append(update)
        self._inject_mark = self._last_seq
        self._wake_updates()
        return copy.deepcopy(update)

    def _user(
        self,
        user_id: int,
        first_name: str | None = None,
        language_code: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
    ) -> dict[str, Any]:
        user = self._users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": "Test"}
        user = dict(user)
        if first_name is not None:
            user["first_name"] = first_name
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        self._users[user_id] = user
        return user

    def _user_chat(self, user: dict[str, Any], chat_type: str, chat_id: int | None) -> int:
        if chat_type == "private":
            cid = user["id"] if chat_id is None else int(chat_id)
            chat = {"id": cid, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if key in user:
                    chat[key] = user[key]
            self._chats[cid] = chat
            return cid
        if chat_id is None:
            raise ValueError("chat_id is required for non-private chats")
        cid = int(chat_id)
        if cid not in self._chats:
            self._chats[cid] = {"id": cid, "type": chat_type, "title": "Test group"}
        return cid

    def _inject_user_message(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        chat_type: str = "private",
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        user = self._user(int(user_id), first_name, language_code, last_name, username)
        cid = self._user_chat(user, chat_type, chat_id)
        reply = None
        if reply_to_message_id is not None:
            original = self._messages.get(cid, {}).get(int(reply_to_message_id))
            if original is None:
                raise LookupError(f"no message {reply_to_message_id} in chat {cid}")
            reply = copy.deepcopy(original)
            reply.pop("reply_to_message", None)
        message = self._new_message(cid, user, reply_to_message=reply, **content)
        return self.inject_update({"message": copy.deepcopy(message)})

    def inject_message(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        chat_type: str = "private",
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
        entities: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A text message from a user. "/cmd ..." gets a bot_command entity automatically.

        ``first_name`` defaults to the user's previous name, or "Test".
        """
        if entities is None and text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self._inject_user_message(
            user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            chat_type=chat_type,
            chat_id=chat_id,
            reply_to_message_id=reply_to_message_id,
            text=text,
            entities=entities or None,
        )

    def inject_command(
        self, user_id: int, command: str, args: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """``inject_command(1, "start", "ref123")`` -> text "/start ref123" with a bot_command entity."""
        text = "/" + command.lstrip("/")
        if args:
            text += " " + args
        return self.inject_message(user_id, text, **kwargs)

    def inject_callback(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        language_code: str | None = "ru",
        first_name: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A button press on the stored bot message ``message_id`` (chat defaults to the user's)."""
        cid = int(user_id) if chat_id is None else int(chat_id)
        message = self._messages.get(cid, {}).get(int(message_id))
        if message is None:
            raise LookupError(f"FakeTelegram: no message {message_id} in chat {cid} (never sent or deleted)")
        user = self._user(int(user_id), first_name, language_code)
        query_id = str(next(self._ids) * 1_000_003 + 4_200_000_000_000_000)
        self._pending_callbacks.add(query_id)
        query: dict[str, Any] = {
            "id": query_id,
            "from": copy.deepcopy(user),
            "message": copy.deepcopy(message),
            "chat_instance": str(-(abs(hash(("chat", cid))) % 10**18)),
            "data": data,
        }
        return self.inject_update({"callback_query": query})

    def press_button(
        self,
        user_id: int,
        text: str,
        *,
        message_id: int | None = None,
        chat_id: int | None = None,
        exact: bool = False,
    ) -> dict[str, Any]:
        """Press the inline button whose text equals/contains ``text`` on the newest bot message
        that has it (or on ``message_id``). Raises LookupError listing the available buttons."""
        cid = int(user_id) if chat_id is None else int(chat_id)
        messages = list(self._messages.get(cid, {}).values())
        if message_id is not None:
            messages = [m for m in messages if m["message_id"] == int(message_id)]
        seen: list[str] = []
        for message in reversed(messages):
            if not message.get("from", {}).get("is_bot"):
                continue
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    label = str(button.get("text", ""))
                    seen.append(label)
                    if (label == text if exact else text in label) and "callback_data" in button:
                        return self.inject_callback(
                            user_id, message["message_id"], button["callback_data"], chat_id=chat_id
                        )
        raise LookupError(f"FakeTelegram: no inline button {text!r} in chat {cid}; buttons seen: {seen}")

    def inject_contact(
        self,
        user_id: int,
        phone_number: str,
        first_name: str,
        last_name: str | None = None,
        contact_user_id: int | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        if last_name is not None:
            contact["last_name"] = last_name
        if contact_user_id is not None:
            contact["user_id"] = int(contact_user_id)
        return self._inject_user_message(user_id, contact=contact, **kwargs)

    def inject_document(
        self,
        user_id: int,
        file_name: str,
        mime_type: str = "application/pdf",
        file_size: int = 1234,
        caption: str | None = None,
        *,
        content: bytes | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """A document from the user; ``content`` (default: ``file_size`` filler bytes) served by getFile."""
        if content is None:
            content = (b"%FAKE-FILE%" * (file_size // 11 + 1))[:file_size]
        record = self.register_file(
            "document", content=content, file_name=file_name, mime_type=mime_type, file_size=len(content)
        )
        return self._inject_user_message(
            user_id, document=self._document_obj(record), caption=caption, **kwargs
        )

    def inject_photo(
        self,
        user_id: int,
        caption: str | None = None,
        *,
        width: int = 1280,
        height: int = 960,
        content: bytes | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        content = content if content is not None else b"\xff\xd8\xff\xe0FAKEJPEG" + b"\0" * 100
        record = self.register_file("photo", content=content, mime_type="image/jpeg")
        return self._inject_user_message(
            user_id, photo=self._photo_sizes(record, width, height), caption=caption, **kwargs
        )

    def inject_voice(
        self,
        user_id: int,
        duration: int = 3,
        *,
        mime_type: str = "audio/ogg",
        content: bytes | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        content = content if content is not None else b"OggS" + b"\0" * 200
        record = self.register_file("voice", content=content, mime_type=mime_type)
        voice = {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "duration": int(duration),
            "mime_type": mime_type,
            "file_size": len(content),
        }
        return self._inject_user_message(user_id, voice=voice, **kwargs)

    def inject_location(
        self, user_id: int, latitude: float, longitude: float, **kwargs: Any
    ) -> dict[str, Any]:
        return self._inject_user_message(
            user_id, location={"latitude": float(latitude), "longitude": float(longitude)}, **kwargs
        )

    # ------------------------------------------------------------------ call log helpers

    def clear_calls(self) -> None:
        self.calls.clear()

    def mark(self) -> int:
        """A cursor for ``wait_for(..., since=tg.mark())``: only calls logged after now match."""
        return self._last_seq

    def calls_to(self, method: str, *, ok_only: bool = False) -> list[Call]:
        name = method.lower()
        return [c for c in self.calls if c.method.lower() == name and (c.ok or not ok_only)]

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Params of successful sendMessage calls, in order (optionally only to ``chat_id``)."""
        target = _norm_chat_id(chat_id)
        return [
            c.params
            for c in self.calls
            if c.method == "sendMessage" and c.ok and (target is None or c.params.get("chat_id") == target)
        ]

    def last_message(self, chat_id: int | str) -> dict[str, Any] | None:
        """Params of the last successful sendMessage to ``chat_id`` (None if none)."""
        messages = self.sent_messages(chat_id)
        return messages[-1] if messages else None

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 10.0,
        *,
        since: int | None = None,
    ) -> Call:
        """Wait until a call of ``method`` (any status) matching ``predicate`` is logged.

        Only calls logged after ``since`` count; by default that's the moment of the last
        ``inject_*`` call (so "inject, then wait for the reply" never matches older replies).
        Use ``since=0`` to search the whole log. Raises TimeoutError with a dump of recent calls.
        """
        start = self._inject_mark if since is None else since
        name = method.lower()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for call in self.calls:
                if (
                    call.seq > start
                    and call.method.lower() == name
                    and (predicate is None or predicate(call))
                ):
                    return call
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"FakeTelegram: no {method} call matching the predicate within {timeout}s.\n"
                    + self.dump_calls()
                )
            fut: asyncio.Future[None] = loop.create_future()
            self._call_waiters.add(fut)
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(fut, remaining)
            finally:
                self._call_waiters.discard(fut)

    async def wait_for_message(
        self,
        chat_id: int | str,
        contains: str | None = None,
        timeout: float = 10.0,
        *,
        since: int | None = None,
    ) -> Call:
        """Wait for a successful sendMessage to ``chat_id`` whose text contains ``contains``.

        Returns the Call: ``call.params`` are the request params, ``call.result`` the Message
        dict the server returned (``call.message_id`` for inject_callback).
        """
        target = _norm_chat_id(chat_id)

        def match(call: Call) -> bool:
            if not call.ok or call.params.get("chat_id") != target:
                return False
            if contains is None:
                return True
            raw = str(call.params.get("text", ""))
            plain = str((call.result or {}).get("text", ""))
            return contains in raw or contains in plain

        try:
            return await self.wait_for("sendMessage", match, timeout, since=since)
        except TimeoutError as exc:
            raise TimeoutError(
                f"FakeTelegram: no message to chat {chat_id} containing {contains!r}.\n{exc}"
            ) from None

    def dump_calls(self, last: int = 25) -> str:
        """Human-readable list of the recent calls (empty getUpdates polls skipped)."""
        interesting = [c for c in self.calls if not (c.method == "getUpdates" and c.ok and not c.result)]
        if not interesting:
            return "  (no calls logged)"
        t0 = self.calls[0].at
        lines = [f"  +{c.at - t0:7.3f}s #{c.seq} {c.short()}" for c in interesting[-last:]]
        return "Last calls:\n" + "\n".join(lines)

    # ------------------------------------------------------------------ /_test HTTP mirror

    _TEST_ACTIONS = frozenset(
        {
            "inject_message",
            "inject_command",
            "inject_callback",
            "inject_contact",
            "inject_document",
            "inject_photo",
            "inject_voice",
            "inject_location",
            "inject_update",
            "press_button",
            "register_chat",
            "fail_next",
            "clear_faults",
            "block_user",
            "unblock_user",
            "set_delay",
            "enforce_rate_limits",
            "disable_rate_limits",
            "clear_calls",
            "sent_messages",
            "last_message",
            "bot_commands",
            "chat_history",
            "get_message",
            "mark",
        }
    )

    async def _handle_test_api(self, request: web.Request) -> web.Response:
        action = request.match_info.get("action", "")
        try:
            kwargs: dict[str, Any] = dict(request.query)
            raw = await request.text() if request.can_read_body else ""
            if raw.strip():
                body = json.loads(raw)
                if isinstance(body, dict):
                    kwargs.update(body)
            for key in (
                "user_id",
                "chat_id",
                "message_id",
                "contact_user_id",
                "status",
                "times",
                "retry_after",
            ):
                if isinstance(kwargs.get(key), str) and re.fullmatch(r"-?\d+", kwargs[key]):
                    kwargs[key] = int(kwargs[key])
            if action == "calls":
                result: Any = [
                    {
                        "seq": c.seq,
                        "method": c.method,
                        "params": c.params,
                        "at": c.at,
                        "status": c.status,
                        "result": c.result,
                        "description": c.description,
                    }
                    for c in self.calls
                ]
            elif action == "wait_for_message":
                call = await self.wait_for_message(**kwargs)
                result = {"params": call.params, "result": call.result}
            elif action in self._TEST_ACTIONS:
                result = getattr(self, action)(**kwargs)
            else:
                return web.json_response({"ok": False, "description": f"unknown action {action}"}, status=404)
            text = json.dumps({"ok": True, "result": result}, default=repr)
            return web.Response(text=text, content_type="application/json")
        except Exception as exc:
            return web.json_response({"ok": False, "description": f"{type(exc).__name__}: {exc}"}, status=400)


def iter_buttons(message: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """All inline buttons of a Message dict (or of sendMessage params with a decoded reply_markup)."""
    markup = message.get("reply_markup") or {}
    if isinstance(markup, dict):
        for row in markup.get("inline_keyboard", []) or []:
            yield from row
