"""Test harness 1, in process: a fake Bot API session that records every call, and builders of real updates.

Tests feed real ``Update`` objects through the production ``create_dispatcher()`` against a real SQLite file,
then assert on the recorded API calls and on database rows.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    Contact,
    Document,
    File,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyKeyboardMarkup,
    Update,
    User,
)

from bot.i18n import TranslatorHub
from tests.telegram_html import HtmlError, check_html

BOT_ID = 7000000001
BOT_USERNAME = "field_crm_bot"
TOKEN = f"{BOT_ID}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"


class RecordingSession(BaseSession):
    """Answers like Telegram and keeps every call. Messages sent with HTML are checked like Telegram does."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self.messages: dict[tuple[int, int], Message] = {}
        self.files: dict[str, bytes] = {}  # file_id -> content, for GetFile and its download
        self._ids = itertools.count(1000)

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        self.calls.append(method)
        if isinstance(method, GetMe):
            return User(id=BOT_ID, is_bot=True, first_name="Field CRM", username=BOT_USERNAME)
        if isinstance(method, GetFile):
            content = self.files.get(method.file_id)
            if content is None:
                raise TelegramBadRequest(method=method, message="Bad Request: file is too big")
            return File(
                file_id=method.file_id,
                file_unique_id=f"u-{method.file_id}",
                file_size=len(content),
                file_path=f"documents/{method.file_id}",
            )
        if isinstance(method, SendMessage | EditMessageText):
            self._check_text(bot, method)
        if isinstance(method, SendMessage | SendDocument | SendPhoto):
            message = Message(
                message_id=next(self._ids),
                date=datetime.now(UTC),
                chat=Chat(id=int(method.chat_id), type="private"),
                from_user=User(id=BOT_ID, is_bot=True, first_name="Field CRM"),
                text=getattr(method, "text", None),
                caption=getattr(method, "caption", None),
                reply_markup=method.reply_markup
                if isinstance(method.reply_markup, InlineKeyboardMarkup)
                else None,
            )
            self.messages[(message.chat.id, message.message_id)] = message
            return message
        if isinstance(method, EditMessageText | EditMessageReplyMarkup):
            key = (int(method.chat_id or 0), int(method.message_id or 0))
            old = self.messages.get(key)
            if old is None:
                raise TelegramBadRequest(method=method, message="Bad Request: message to edit not found")
            text = method.text if isinstance(method, EditMessageText) else old.text
            new = old.model_copy(update={"text": text, "reply_markup": method.reply_markup})
            self.messages[key] = new
            return new
        return True

    def _check_text(self, bot: Bot, method: SendMessage | EditMessageText) -> None:
        if not method.text:
            raise TelegramBadRequest(method=method, message="Bad Request: message text is empty")
        if len(method.text) > 4096:
            raise TelegramBadRequest(method=method, message="Bad Request: message is too long")
        parse_mode = method.parse_mode if isinstance(method.parse_mode, str) else bot.default.parse_mode
        if parse_mode == "HTML":
            try:
                check_html(method.text)
            except HtmlError as exc:
                raise TelegramBadRequest(
                    method=method, message=f"Bad Request: can't parse entities: {exc}"
                ) from exc

    async def stream_content(self, url: str, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        """A file the bot downloads: the content a test sent with ``TgUser.send_document(content=...)``."""
        file_id = url.rsplit("/", 1)[-1]
        yield self.files[file_id]

    async def close(self) -> None:
        return None


_HUB = TranslatorHub(strict=True)


def t(key: str, lang: str = "ru", **params: Any) -> str:
    """A catalog message as the bot renders it, so tests assert on keys and survive copy edits."""
    return _HUB.get(lang)(key, **params)


def tp(key: str, lang: str = "ru", **params: Any) -> str:
    """A button label or an alert (plain text) as the bot renders it."""
    return _HUB.get(lang).plain(key, **params)


def first_line(key: str, lang: str = "ru", **params: Any) -> str:
    """The first line of a catalog message: enough to recognise a prompt whatever else the window shows."""
    return t(key, lang, **params).split("\n")[0]


_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


@dataclass
class TgUser:
    """A person chatting with the bot in a private chat."""

    harness: Harness
    telegram_id: int
    first_name: str = "Иван"
    last_name: str | None = "Петров"
    language_code: str = "ru"
    since: int = 0  # index in the call log where this user's current exchange starts

    @property
    def user(self) -> User:
        return User(
            id=self.telegram_id,
            is_bot=False,
            first_name=self.first_name,
            last_name=self.last_name,
            language_code=self.language_code,
        )

    @property
    def chat(self) -> Chat:
        return Chat(id=self.telegram_id, type="private", first_name=self.first_name)

    def _message(self, **fields: Any) -> Message:
        return Message(
            message_id=next(_message_ids),
            date=datetime.now(UTC),
            chat=fields.pop("chat", self.chat),
            from_user=self.user,
            **fields,
        )

    async def send(self, text: str, **extra: Any) -> list[str]:
        entities = None
        if text.startswith("/"):
            entities = [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]
        return await self.feed(
            Update(update_id=next(_update_ids), message=self._message(text=text, entities=entities, **extra))
        )

    async def share_contact(
        self, phone: str, first_name: str, last_name: str | None = None, user_id: int | None = None
    ) -> list[str]:
        contact = Contact(phone_number=phone, first_name=first_name, last_name=last_name, user_id=user_id)
        return await self.feed(Update(update_id=next(_update_ids), message=self._message(contact=contact)))

    async def send_document(
        self,
        file_name: str,
        mime_type: str = "application/pdf",
        size: int | None = None,
        content: bytes | None = None,
    ) -> list[str]:
        """Send a file; with ``content``, the bot can download it (``GetFile``), and it is the file size."""
        file_id = f"doc-{next(_message_ids)}"
        if content is not None:
            self.harness.session.files[file_id] = content
        document = Document(
            file_id=file_id, file_unique_id=f"u{next(_message_ids)}", file_name=file_name,
            mime_type=mime_type, file_size=size if size is not None else len(content or b"x" * 1234),
        )  # fmt: skip
        return await self.feed(Update(update_id=next(_update_ids), message=self._message(document=document)))

    async def press(self, data: str, message_id: int | None = None) -> list[str]:
        """Press a button with ``callback_data`` on a bot message (by default the latest one in this chat)."""
        message = self.harness.message(self.telegram_id, message_id)
        query = CallbackQuery(
            id=str(next(_update_ids)),
            from_user=self.user,
            chat_instance="ci",
            message=message,
            data=data,
        )
        return await self.feed(Update(update_id=next(_update_ids), callback_query=query))

    async def click(self, label: str) -> list[str]:
        """Press the inline button whose text contains ``label`` on the latest message that has it."""
        for message in reversed(self.harness.messages_to(self.telegram_id)):
            markup = message.reply_markup
            if isinstance(markup, InlineKeyboardMarkup):
                for row in markup.inline_keyboard:
                    for button in row:
                        if label in button.text and button.callback_data:
                            return await self.press(button.callback_data, message.message_id)
        raise AssertionError(f"no button {label!r} in this chat; buttons: {self.buttons()}")

    async def feed(self, update: Update) -> list[str]:
        self.since = len(self.harness.session.calls)
        await self.harness.dispatcher.feed_update(self.harness.bot, update)
        return self.replies()

    def replies(self) -> list[str]:
        """Texts the bot sent or edited in this chat since this user's last action, plus alert texts."""
        out: list[str] = []
        for call in self.harness.session.calls[self.since :]:
            to_me = (
                isinstance(call, SendMessage | EditMessageText) and int(call.chat_id or 0) == self.telegram_id
            )
            if to_me or (isinstance(call, AnswerCallbackQuery) and call.text):
                out.append(call.text)
        return out

    @property
    def last(self) -> str:
        replies = self.replies()
        assert replies, "the bot did not answer"
        return replies[-1]

    def buttons(self) -> list[str]:
        messages = self.harness.messages_to(self.telegram_id)
        for message in reversed(messages):
            if isinstance(message.reply_markup, InlineKeyboardMarkup):
                return [b.text for row in message.reply_markup.inline_keyboard for b in row]
        return []

    def reply_keyboard(self) -> list[str]:
        for call in reversed(self.harness.session.calls):
            to_me = isinstance(call, SendMessage) and int(call.chat_id) == self.telegram_id
            if to_me and isinstance(call.reply_markup, ReplyKeyboardMarkup):
                return [b.text for row in call.reply_markup.keyboard for b in row]
        return []


@dataclass
class Harness:
    bot: Bot
    dispatcher: Dispatcher
    session: RecordingSession
    users: dict[int, TgUser] = field(default_factory=dict)

    def user(self, telegram_id: int, **kwargs: Any) -> TgUser:
        if telegram_id not in self.users:
            self.users[telegram_id] = TgUser(self, telegram_id, **kwargs)
        return self.users[telegram_id]

    def messages_to(self, chat_id: int) -> list[Message]:
        return [m for (chat, _), m in sorted(self.session.messages.items()) if chat == chat_id]

    def message(self, chat_id: int, message_id: int | None = None) -> Message:
        if message_id is not None:
            return self.session.messages[(chat_id, message_id)]
        return self.messages_to(chat_id)[-1]

    def calls(self, kind: type[TelegramMethod[Any]]) -> list[Any]:
        return [c for c in self.session.calls if isinstance(c, kind)]
