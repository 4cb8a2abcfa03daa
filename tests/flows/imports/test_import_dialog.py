"""Import through the bot (issue «Import and export», seed 002): a team lead or an admin sends a table; the
columns are recognised and can be changed; the preview says what would be created, what duplicates (R5, naming
the pair) and what is refused (R4, with the form's reason); nothing is written before «Загрузить»; the result
comes back as the file with a «Результат» column, and the import can be undone."""

from __future__ import annotations

import io
from datetime import date

from aiogram.methods import EditMessageText, SendDocument, SendMessage
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import import_delivery
from bot.i18n import TranslatorHub
from bot.settings import Settings
from db.models import Contact, ImportJob
from db.repo.import_runs import run
from domain.imports import BATCH
from tests.conftest import ADMIN_ID
from tests.factories import make_contact, make_user
from tests.flows.imports.helpers import many_rows
from tests.harness import Harness, TgUser, t, tp

LEAD, MANAGER = 910, 911
HEADER = "ФИО;Мобильный телефон;Дата рождения;E-mail;Должность;Заметка"
GOOD = [
    "Смирнова Ольга Петровна;+7 921 765-43-21;01.07.1990;smirnova@yandex.ru;Закупщик;звонить утром",
    "Кузнецов Олег Иванович;8 903 111-22-33;15.02.1982;kuz@mail.ru;Директор;",
    "Орлова Вера Сергеевна;+79045556677;30.11.1979;orlova@gmail.com;;",
]
LANDLINE = "Лебедев Артём Олегович;8 495 123-45-67;01.01.1980;lebedev@mail.ru;;"
TWIN = "Смирнова Ольга Петровна;+7 921 765-43-21;02.02.1991;other@yandex.ru;;"  # name + phone as row 2
FORMULA = '=HYPERLINK("http://x");+79161234567;01.01.1980;f@mail.ru;;'


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("cp1251")


async def contacts(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count(Contact.id))) or 0)


async def _to_preview(user: TgUser, content: bytes, name: str = "база.csv") -> list[str]:
    replies = await user.send_document(name, "text/csv", content=content)
    assert t("import-mapping", file=name, rows=content.count(b"\n") - 1).split("\n")[0] in replies[-1]
    return await user.click(tp("import-btn-check"))


async def test_a_team_lead_imports_a_file_and_gets_each_rows_result(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], sent_files: list[tuple[str, bytes]]
) -> None:
    await make_user(sessionmaker, LEAD, role="team_lead", full_name="Иванова Ирина")
    lead = harness.user(LEAD)
    content = csv_file(*GOOD, LANDLINE, TWIN, FORMULA)
    replies = await lead.send_document("база.csv", "text/csv", content=content)
    mapping = replies[-1]
    assert "«ФИО» → <b>ФИО</b>" in mapping and "«Мобильный телефон» → <b>Мобильный телефон</b>" in mapping
    assert f"«Заметка» → <b>{tp('import-field-none')}</b>" in mapping  # not recognised: left out
    replies = await lead.click(tp("import-btn-check"))
    preview = replies[-1]
    assert t("import-preview", new=3, duplicates=1, invalid=2).split("\n")[1] in preview
    assert "С ошибками: 2" in preview and "Дубликатов: 1" in preview and "Новых контактов: 3" in preview
    assert "строка 5: Лебедев Артём Олегович — ошибка: " in preview  # the landline, as the form refuses it
    assert "дубликат: ФИО + телефон (строка 2)" in preview
    assert await contacts(sessionmaker) == 0  # nothing before «Загрузить»

    await lead.click(tp("import-btn-confirm", new=3))
    await import_delivery.wait_all()
    assert await contacts(sessionmaker) == 3
    [document] = [call for call in harness.session.calls if isinstance(call, SendDocument)]
    assert "Создано контактов: 3" in (document.caption or "")
    [(_, data)] = sent_files
    report = data.decode("utf-8-sig").splitlines()
    assert report[0].endswith(";Результат")
    assert report[1].endswith(";создан") and report[4].split(";")[-1].startswith("ошибка: ")
    assert "дубликат" in report[5] and "формула" in report[6]
    assert tp("import-btn-undo") in lead.buttons()

    replies = await lead.click(tp("import-btn-undo"))
    assert t("import-undone", removed=3, kept=0) in replies[-1]
    assert await contacts(sessionmaker) == 0


async def test_a_manager_may_not_import(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, MANAGER, full_name="Петров Пётр")
    manager = harness.user(MANAGER)
    replies = await manager.send_document("база.csv", "text/csv", content=csv_file(*GOOD))
    assert t("import-only-leads") in replies[-1]
    replies = await manager.send("/import")
    assert t("import-only-leads") in replies[-1]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(ImportJob.id))) == 0


async def test_missing_columns_are_named_and_a_column_can_be_assigned(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    admin = harness.user(ADMIN_ID)
    content = "Контакт;Сотовый номер;ДР;Почта\nСмирнова Ольга Петровна;+79217654321;01.07.1990;s@yandex.ru\n"
    await admin.send("/start")
    await admin.send_document("list.csv", "text/csv", content=content.encode())
    replies = await admin.click(tp("import-btn-check"))
    assert "⚠️" in replies[-1] and tp("import-required-phone") in replies[-1]
    await admin.click("B · Сотовый номер")
    replies = await admin.click(tp("import-field-mobile"))
    assert "«Сотовый номер» → <b>Мобильный телефон</b>" in replies[-1]
    for letter, field in (("C · ДР", "import-field-birth_date"), ("D · Почта", "import-field-email")):
        await admin.click(letter)
        await admin.click(tp(field))
    replies = await admin.click(tp("import-btn-check"))
    assert "Новых контактов: 1" in replies[-1]
    replies = await admin.click(tp("import-btn-cancel"))
    assert t("import-cancelled") in replies[-1]
    assert await contacts(sessionmaker) == 0


async def test_bad_files_get_a_clear_message(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    admin = harness.user(ADMIN_ID)
    await admin.send("/start")
    replies = await admin.send_document("big.csv", "text/csv", size=21 * 1024 * 1024)
    assert t("import-err-too-large", limit=20) in replies[-1]  # refused before downloading
    replies = await admin.send_document("book.xlsx", content=b"PK\x03\x04 not really a workbook")
    assert t("import-err-broken") in replies[-1]
    replies = await admin.send_document("empty.csv", content=b"")
    assert t("import-err-empty") in replies[-1] or t("import-err-broken") in replies[-1]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(ImportJob.id))) == 0


async def test_a_long_import_shows_one_progress_message(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    admin = harness.user(ADMIN_ID)
    await admin.send("/start")
    rows = many_rows(1200)
    lines = ["ФИО;Мобильный;Дата рождения;E-mail"] + [
        ";".join(
            [row.fields["full_name"], row.fields["mobile"], row.fields["birth_date"], row.fields["email"]]
        )
        for row in rows
    ]
    content = ("\n".join(lines) + "\n").encode()
    await admin.send_document("big.csv", "text/csv", content=content)
    replies = await admin.click(tp("import-btn-check"))
    assert t("import-checking", rows=1200) in replies  # said before the long check
    assert "Новых контактов: 1\u00a0200" in replies[-1]
    await admin.click(tp("import-btn-confirm", new=1200))
    await import_delivery.wait_all()
    assert await contacts(sessionmaker) == 1200
    progress = [
        call for call in harness.session.calls if isinstance(call, SendMessage) and "⏳ Импорт:" in call.text
    ]
    assert len(progress) == 1  # one message, edited, never a flood
    edits = [
        call for call in harness.session.calls if isinstance(call, EditMessageText) and "⏳" in call.text
    ]
    assert edits and "1\u00a0200 из 1\u00a0200 (100%)" in edits[-1].text


async def test_a_table_sent_while_a_card_is_open_is_attached_to_the_card(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    lead_id = await make_user(sessionmaker, LEAD, role="team_lead", full_name="Иванова Ирина")
    await make_contact(sessionmaker, lead_id, birth=date(1985, 3, 25))
    lead = harness.user(LEAD)
    await lead.send("/contacts")
    await lead.click("Иванов Иван")
    replies = await lead.send_document("price.xlsx", content=b"PK\x03\x04")
    assert not any(t("import-mapping", file="price.xlsx", rows=0).split(":")[0] in reply for reply in replies)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(ImportJob.id))) == 0


async def test_an_xlsx_is_read_with_typed_cells(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], sent_files: list[tuple[str, bytes]]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Фамилия", "Имя", "Отчество", "Мобильный телефон", "Дата рождения", "Частный e-mail"])
    sheet.append(["Смирнова", "Ольга", "Петровна", 79217654321, date(1990, 7, 1), "smirnova@yandex.ru"])
    out = io.BytesIO()
    book.save(out)
    admin = harness.user(ADMIN_ID)
    await admin.send("/start")
    await admin.send_document("bitrix.xlsx", content=out.getvalue())
    replies = await admin.click(tp("import-btn-check"))
    assert "Новых контактов: 1" in replies[-1]
    await admin.click(tp("import-btn-confirm", new=1))
    await import_delivery.wait_all()
    async with sessionmaker() as session:
        contact = await session.scalar(select(Contact))
    assert contact is not None and contact.full_name == "Смирнова Ольга Петровна"
    assert contact.phone == "+79217654321" and contact.birth_date == date(1990, 7, 1)
    assert len([call for call in harness.session.calls if isinstance(call, SendDocument)]) == 1
    [(name, data)] = sent_files
    assert name == "bitrix-result.xlsx"
    result = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [cell.value for cell in result[1]][-1] == "Результат"
    assert [cell.value for cell in result[2]][-1] == "создан"


async def test_an_import_stopped_midway_is_resumed_at_start_up_and_its_result_sent(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """A stop (``kill -9``) in the middle of the run leaves the job «running» with part of its rows written;
    the start-up job writes the rest, nothing twice, and sends the importer the result."""
    admin = harness.user(ADMIN_ID)
    await admin.send("/start")
    total = BATCH + 150  # more than one batch: the stop comes after the first
    rows = many_rows(total)
    lines = ["ФИО;Мобильный;Дата рождения;E-mail"] + [
        ";".join(row.fields[key] for key in ("full_name", "mobile", "birth_date", "email")) for row in rows
    ]
    await admin.send_document("half.csv", "text/csv", content=("\n".join(lines) + "\n").encode())
    await admin.click(tp("import-btn-check"))
    async with sessionmaker() as session:
        job_id = await session.scalar(select(ImportJob.id))
    assert job_id is not None
    settings = harness.dispatcher["settings"]
    assert isinstance(settings, Settings)
    await run(sessionmaker, job_id, settings=settings, limit_batches=1)  # then the process dies
    written = await contacts(sessionmaker)
    assert 0 < written < total

    hub = harness.dispatcher["i18n_hub"]
    assert isinstance(hub, TranslatorHub)
    await import_delivery.resumer(harness.bot, sessionmaker, hub, settings)()
    assert await contacts(sessionmaker) == total
    [document] = [call for call in harness.session.calls if isinstance(call, SendDocument)]
    assert int(document.chat_id) == ADMIN_ID and f"Создано контактов: {total:,}".replace(",", "\u00a0") in (
        document.caption or ""
    )
