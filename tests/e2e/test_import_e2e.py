"""Import end to end (issue 13): a real CSV file through the real ``python -m bot`` process and the HTTP fake
Bot API server.

The admin sends a cp1251 ``;`` table as a document; the bot downloads it (getFile, then the file route), shows
the recognised columns, checks the rows (R4: a landline is refused with the form's reason; R5: a duplicate
within the file names the pair and the row it repeats), writes nothing before «Загрузить», writes the new rows
in the background and sends the result file with a «Результат» column, which is downloaded back from the
server; «↩️ Отменить импорт» removes what it created. The SQLite file is read directly at each step.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import aiohttp
import pytest

from tests.conftest import ADMIN_ID
from tests.e2e.conftest import BotProcess, wait_until
from tests.fakeapi.server import FakeTelegram
from tests.harness import TOKEN, first_line, t, tp

pytestmark = pytest.mark.e2e

TIMEOUT = 20.0
FILE_NAME = "база.csv"
HEADER = "ФИО;Мобильный телефон;Дата рождения;E-mail;Должность"
GOOD = [
    "Смирнова Ольга Петровна;+7 921 765-43-21;01.07.1990;smirnova@yandex.ru;Закупщик",
    "Кузнецов Олег Иванович;8 903 111-22-33;15.02.1982;kuz@mail.ru;Директор",
    "Орлова Вера Сергеевна;+79045556677;30.11.1979;orlova@gmail.com;",
]
LANDLINE = "Лебедев Артём Олегович;8 495 123-45-67;01.01.1980;lebedev@mail.ru;"
TWIN = "Смирнова Ольга Петровна;+7 921 765-43-21;02.02.1991;other@yandex.ru;"  # name + phone as row 2
CONTENT = ("\r\n".join([HEADER, *GOOD, LANDLINE, TWIN]) + "\r\n").encode("cp1251")


def _last_seq(tg: FakeTelegram) -> int:
    return tg.calls[-1].seq if tg.calls else 0


async def shown(tg: FakeTelegram, expect: str, since: int, *, methods: tuple[str, ...] = ()) -> Any:
    """Wait for a call to the admin's chat after call ``since`` whose text or caption has ``expect``."""
    methods = methods or ("sendMessage", "editMessageText")
    found: list[Any] = []

    def seen() -> bool:
        for call in tg.calls:
            if (
                call.seq > since
                and call.ok
                and call.method in methods
                and call.params.get("chat_id") == ADMIN_ID
                and expect in (call.text or "")
            ):
                found.append(call)
                return True
        return False

    await wait_until(seen, TIMEOUT, f"a message with {expect!r}", describe=tg.dump_calls)
    return found[0]


async def press(tg: FakeTelegram, label: str, expect: str, **kwargs: Any) -> Any:
    """The admin presses the inline button containing ``label``; the call that shows ``expect``."""
    since = _last_seq(tg)
    tg.press_button(ADMIN_ID, label)
    return await shown(tg, expect, since, **kwargs)


async def download(tg: FakeTelegram, file_id: str) -> bytes:
    """Fetch a file as a bot would: getFile over HTTP, then ``/file/bot<token>/<file_path>``."""
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{tg.base_url}/bot{TOKEN}/getFile", json={"file_id": file_id}) as response:
            body = await response.json()
        assert body["ok"], body
        async with http.get(f"{tg.base_url}/file/bot{TOKEN}/{body['result']['file_path']}") as response:
            assert response.status == 200
            return await response.read()


def read_db(bot: BotProcess, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{bot.db_path}?mode=ro", uri=True) as conn:
        return list(conn.execute(sql, params))


async def test_an_admin_imports_a_csv_file_gets_the_result_file_and_undoes_it(
    bot: BotProcess, tg: FakeTelegram
) -> None:
    """R4 and R5 for every row of a sent file; preview, confirm, result file, undo (issue 13)."""
    since = _last_seq(tg)
    tg.inject_message(ADMIN_ID, "/start", first_name="Админ")
    await shown(tg, "", since)

    # 1. The document: downloaded by the bot, its columns recognised.
    since = _last_seq(tg)
    tg.inject_document(ADMIN_ID, FILE_NAME, "text/csv", content=CONTENT)
    mapping = (await shown(tg, first_line("import-mapping", file=FILE_NAME, rows=5), since)).text
    assert "«ФИО» → <b>ФИО</b>" in mapping and "«Мобильный телефон» → <b>Мобильный телефон</b>" in mapping
    assert "«Дата рождения» → <b>Дата рождения</b>" in mapping and "«Должность» → <b>Должность</b>" in mapping
    assert tg.calls_to("getFile", ok_only=True)

    # 2. The preview: counts and reasons, and nothing written yet.
    checked = first_line("import-preview", new=0, duplicates=0, invalid=0)
    preview = (await press(tg, tp("import-btn-check"), checked)).text
    assert "Новых контактов: 3" in preview and "Дубликатов: 1" in preview and "С ошибками: 1" in preview
    assert "строка 5: Лебедев Артём Олегович — ошибка: " in preview
    assert "дубликат: ФИО + телефон (строка 2)" in preview
    assert read_db(bot, "SELECT count(*) FROM contacts") == [(0,)]

    # 3. Confirmed: the rows are written in the background, then the result file comes with «Отменить».
    await press(tg, tp("import-btn-confirm", new=3), first_line("import-started", rows=3))
    done = first_line("import-done", created=3, duplicates=1, invalid=1)
    document_call = await shown(tg, done, since, methods=("sendDocument",))
    caption = document_call.text
    assert "Создано контактов: 3" in caption and "Дубликатов: 1" in caption and "С ошибками: 1" in caption
    result = document_call.result
    assert [[button["text"] for button in row] for row in result["reply_markup"]["inline_keyboard"]] == [
        [tp("import-btn-undo")]
    ]
    report = (await download(tg, result["document"]["file_id"])).decode("utf-8-sig").splitlines()
    assert report[0].split(";")[-1] == "Результат"
    verdicts = [line.split(";")[-1] for line in report[1:]]
    assert verdicts[:3] == ["создан"] * 3
    assert verdicts[3] == f"ошибка: {tp('err-phone-not-mobile')}"  # the form's reason (R4a)
    assert verdicts[4].startswith("дубликат: ") and "строка 2" in verdicts[4]  # within the file (R5a)
    assert [line.split(";")[0] for line in report[1:]] == [
        row.split(";")[0] for row in [*GOOD, LANDLINE, TWIN]
    ]
    [(admin_user_id,)] = read_db(bot, "SELECT id FROM users WHERE telegram_id = ?", ADMIN_ID)
    stored = read_db(
        bot,
        "SELECT surname || ' ' || given_name || ' ' || patronymic, phone, birth_date, email, position,"
        " responsible_id FROM contacts ORDER BY id",
    )
    assert stored == [
        (
            "Смирнова Ольга Петровна",
            "+79217654321",
            "1990-07-01",
            "smirnova@yandex.ru",
            "Закупщик",
            admin_user_id,
        ),
        ("Кузнецов Олег Иванович", "+79031112233", "1982-02-15", "kuz@mail.ru", "Директор", admin_user_id),
        ("Орлова Вера Сергеевна", "+79045556677", "1979-11-30", "orlova@gmail.com", None, admin_user_id),
    ]
    assert read_db(bot, "SELECT status, total, created, duplicates, invalid FROM import_jobs") == [
        ("done", 5, 3, 1, 1)
    ]

    # 4. Undo: the three created contacts are removed; the job is marked undone and cannot be undone twice.
    await press(tg, tp("import-btn-undo"), t("import-undone", removed=3, kept=0))
    assert read_db(bot, "SELECT count(*) FROM contacts") == [(0,)]
    assert read_db(bot, "SELECT status FROM import_jobs") == [("undone",)]
    since = _last_seq(tg)
    tg.press_button(ADMIN_ID, tp("import-btn-undo"))
    expired = tp("import-undo-expired")
    await wait_until(
        lambda: any(
            c.seq > since and c.method == "answerCallbackQuery" and c.params.get("text") == expired
            for c in tg.calls
        ),
        TIMEOUT,
        "the second undo to be refused",
        describe=tg.dump_calls,
    )
    bot.assert_no_tracebacks()
