"""Issue 13, import: a .csv or .xlsx read into a table of text, and every bad file refused with a clear
message («Limits and bad input»: too large, too many rows, wrong format, broken, wrong encoding, zip bomb,
formulas, a 10k-character cell, empty)."""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from bot.import_files import CELL_MAX, FORMULA, TOO_LONG, RawTable, open_table, read_table, scan_table
from domain.errors import ValidationError
from domain.import_columns import Field, recognise

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
HEADERS = ["ФИО", "Телефон", "Компания"]
ROWS = [
    ["Иванов Пётр Сергеевич", "+7 912 345-67-89", "ООО «Ромашка», филиал"],
    ["Ёлкина Ольга", "89035554433", 'АО "Север"'],
]


def read(data: bytes, filename: str = "contacts.csv", *, max_rows: int = 100) -> RawTable:
    return read_table(data, filename, max_rows=max_rows, max_bytes=20 * 1024 * 1024)


def refused(data: bytes, filename: str = "contacts.csv", **limits: int) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        read_table(data, filename, **{"max_rows": 100, "max_bytes": 20 * 1024 * 1024, **limits})
    return caught.value


def csv_text(rows: list[list[str]], delimiter: str) -> str:
    def quoted(cell: str) -> str:
        if any(char in cell for char in f'"\n{delimiter}'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "\r\n".join(delimiter.join(quoted(cell) for cell in row) for row in rows) + "\r\n"


def xlsx(rows: Sequence[Sequence[object]], *, extra_sheet: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    if extra_sheet:
        book.create_sheet("Второй").append(["Не", "этот"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- CSV: encodings, delimiters, quoting --------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_every_encoding_and_delimiter_reads_the_same_table(encoding: str, delimiter: str) -> None:
    data = csv_text([HEADERS, *ROWS], delimiter).encode(encoding)
    table = read(data)
    assert table.headers == HEADERS
    assert table.rows == ROWS
    assert table.source == "csv" and table.cell_errors == {} and table.row_numbers == [2, 3]


def test_quoted_newlines_and_delimiters_stay_in_their_cell() -> None:
    data = 'ФИО;"Комментарий; с точкой с запятой"\r\nИванов;"первая строка\nвторая; строка"\r\n'.encode()
    table = read(data)
    assert table.headers == ["ФИО", "Комментарий; с точкой с запятой"]
    assert table.rows == [["Иванов", "первая строка\nвторая; строка"]]


def test_commas_inside_quoted_headers_do_not_fool_the_delimiter() -> None:
    data = '"Фамилия, имя";"Телефон, мобильный";Город\nИванов Пётр;+79123456789;Москва\n'.encode("cp1251")
    assert read(data).rows == [["Иванов Пётр", "+79123456789", "Москва"]]


def test_one_column_file() -> None:
    assert read("ФИО\nИванов Пётр\n".encode()).rows == [["Иванов Пётр"]]


def test_cells_are_stripped_rows_padded_and_cut_and_blank_rows_skipped() -> None:
    data = " ФИО , Телефон ,\n\n ,  \nИванов ,\n Петров,+7 900,лишнее,ещё\n;;\n".encode()
    table = read(data)
    assert table.headers == ["ФИО", "Телефон"]  # the trailing delimiter is not a column
    assert table.rows == [["Иванов", ""], ["Петров", "+7 900"], [";;", ""]]
    assert table.row_numbers == [4, 5, 6]


def test_bom_is_not_part_of_the_first_header() -> None:
    table = read("\ufeffФИО,Телефон\nИванов,1\n".encode())
    assert table.headers[0] == "ФИО"


def test_a_formula_in_a_csv_is_noted_and_a_plus_phone_is_not() -> None:
    table = read('ФИО,Телефон\n"=HYPERLINK(""http://x"")",+79123456789\n'.encode())
    assert table.rows == [['=HYPERLINK("http://x")', "+79123456789"]]
    assert table.cell_errors == {(0, 0): FORMULA}


def test_a_10k_character_cell_is_cut_and_noted() -> None:
    table = read(("ФИО,Комментарий\nИванов," + "я" * 10_000 + "\n").encode())
    assert table.rows[0][1] == "я" * CELL_MAX
    assert table.cell_errors == {(0, 1): TOO_LONG}


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,  # binary garbage: control characters, 0x98 undefined in cp1251
        b"\x98\x98\x98,\x98\n",
        "ФИО,Телефон\nИванов,1\n".encode("utf-16"),
    ],
    ids=["garbage", "undefined-in-cp1251", "utf-16"],
)
def test_an_unknown_encoding_is_refused(data: bytes) -> None:
    assert refused(data).key == "import-err-encoding"


@pytest.mark.parametrize(
    "data",
    [b'a,b\n"unclosed,1\n', b"a,b\n" + b"x" * 200_000 + b",1\n"],
    ids=["unclosed-quote", "field-over-csv-limit"],
)
def test_a_broken_csv_is_refused(data: bytes) -> None:
    assert refused(data).key == "import-err-broken"


# --- empty, limits, format ----------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b" \r\n\n ", b"\xef\xbb\xbf", b";;;\n;;\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert refused(data).key == "import-err-empty"


def test_a_header_without_rows_is_refused() -> None:
    assert refused("ФИО;Телефон\n\n".encode()).key == "import-err-no-rows"


def test_a_file_over_the_size_limit_is_refused_before_reading() -> None:
    error = refused(b"\x00" * (3 * 1024 * 1024), max_bytes=2 * 1024 * 1024)
    assert (error.key, error.params) == ("import-err-too-large", {"limit": 2})


@pytest.mark.parametrize("filename", ["contacts.csv", "contacts.xlsx"])
def test_too_many_rows_are_refused_and_the_limit_itself_is_fine(filename: str) -> None:
    rows = [["ФИО", "Телефон"]] + [[f"Иванов {n}", str(n)] for n in range(5)]
    data = xlsx(rows) if filename.endswith("xlsx") else csv_text(rows, ",").encode()
    assert len(read(data, filename, max_rows=5).rows) == 5
    error = refused(data, filename, max_rows=4)
    assert (error.key, error.params) == ("import-err-too-many-rows", {"limit": 4})


def test_too_many_rows_stop_the_reading_early() -> None:
    data = ("ФИО\n" + "Иванов\n" * 400_000).encode()
    started = time.perf_counter()
    assert refused(data, max_rows=10).key == "import-err-too-many-rows"
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    ("data", "filename", "key"),
    [
        (b"%PDF-1.4 ...", "contacts.pdf", "import-err-format"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "contacts.xls", "import-err-format"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "contacts.xlsx", "import-err-format"),
        ("ФИО\nИванов\n".encode(), "contacts", "import-err-format"),
        (b"PK\x03\x04 a zip named csv", "contacts.csv", "import-err-format"),
        (bytes(range(256)) * 8, "contacts.xlsx", "import-err-broken"),
        (b"PK\x03\x04" + bytes(range(256)) * 8, "contacts.xlsx", "import-err-broken"),
    ],
    ids=["pdf", "xls", "xls-named-xlsx", "no-extension", "zip-named-csv", "garbage-xlsx", "garbage-zip"],
)
def test_an_unknown_format_or_a_broken_file_is_refused(data: bytes, filename: str, key: str) -> None:
    assert refused(data, filename).key == key


def test_a_zip_that_is_not_a_workbook_is_broken() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert refused(out.getvalue(), "contacts.xlsx").key == "import-err-broken"


# --- XLSX ---------------------------------------------------------------------------------------------------


def test_xlsx_typed_cells_become_text() -> None:
    """Dates as dd.mm.yyyy, a phone stored as a number without «.0», other numbers as written."""
    data = xlsx(
        [
            ["ФИО", "Мобильный", "Дата рождения", "Создан", "Сумма", "Доля", "Клиент?"],
            [
                "Иванов Пётр",
                79123456789.0,
                datetime(1985, 3, 15),
                datetime(2026, 11, 1, 10, 15),
                15,
                0.25,
                True,
            ],
            ["Петров Иван", 79031112233, date(1990, 7, 2), None, 1.5e-7, 1e20, False],
        ]
    )
    table = read(data, "contacts.xlsx")
    assert table.source == "xlsx" and table.cell_errors == {}
    assert table.rows == [
        ["Иванов Пётр", "79123456789", "15.03.1985", "01.11.2026 10:15", "15", "0.25", "TRUE"],
        ["Петров Иван", "79031112233", "02.07.1990", "", "0.00000015", "100000000000000000000", "FALSE"],
    ]


def test_xlsx_formulas_are_noted_and_kept_as_written_never_computed() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ФИО", "Телефон"])
    sheet.append(["Иванов", "=1+2"])  # a formula cell
    sheet.append(['=HYPERLINK("http://x")', "+79123456789"])
    sheet["A3"].data_type = "s"  # text that starts with «=»
    out = io.BytesIO()
    book.save(out)
    table = read(out.getvalue(), "contacts.xlsx")
    assert table.rows == [["Иванов", "=1+2"], ['=HYPERLINK("http://x")', "+79123456789"]]
    assert table.cell_errors == {(0, 1): FORMULA, (1, 0): FORMULA}


def test_xlsx_first_sheet_blank_rows_and_row_numbers() -> None:
    rows: list[list[object]] = [
        [],
        ["ФИО", "Телефон", None],
        ["Иванов", 1],
        [],
        [None, None],
        ["Петров", 2, "x"],
    ]
    table = read(xlsx(rows, extra_sheet=True), "contacts.xlsx")
    assert table.headers == ["ФИО", "Телефон"]
    assert table.rows == [["Иванов", "1"], ["Петров", "2"]]
    assert table.row_numbers == [3, 6]


def test_xlsx_10k_character_cell_is_cut_and_noted() -> None:
    table = read(xlsx([["ФИО", "Комментарий"], ["Иванов", "я" * 10_000]]), "contacts.xlsx")
    assert table.rows[0][1] == "я" * CELL_MAX and table.cell_errors == {(0, 1): TOO_LONG}


def _rewrite(data: bytes, member: str, change: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                text = content.decode()
                for pattern, replacement in change.items():
                    text = re.sub(pattern, replacement, text)
                content = text.encode()
            target.writestr(info.filename, content)
    return out.getvalue()


def test_a_false_sheet_size_and_a_far_right_cell_cost_nothing() -> None:
    """The declared dimension claims the whole sheet, and one row has a cell in the last column (XFD)."""
    rows: list[list[object]] = [["ФИО", "Телефон"], *([f"Иванов {n}", n] for n in range(500))]
    data = _rewrite(
        xlsx(rows),
        "xl/worksheets/sheet1.xml",
        {
            r'<dimension ref="[^"]+"/>': '<dimension ref="A1:XFD1048576"/>',
            "</row>": '<c r="XFD1"><v>1</v></c></row>',
        },
    )
    table = read(data, "contacts.xlsx", max_rows=5000)
    assert table.headers == ["ФИО", "Телефон"] and len(table.rows) == 500
    # Only the header's columns are kept: the far-right cell does not widen a row to 16,384 cells.
    assert max(len(row) for row in table.rows) <= 2


def test_xml_entities_in_a_workbook_are_refused() -> None:
    """openpyxl parses with defusedxml (a dependency): a «billion laughs» sheet is refused, not expanded."""
    assert openpyxl.xml.DEFUSEDXML
    entities = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = _rewrite(
        xlsx([["ФИО"], ["Иванов"]]),
        "xl/worksheets/sheet1.xml",
        {r"^(<\?xml[^>]*\?>)?": r"\g<1>" + entities, "<v>": "<v>&b;"},
    )
    assert refused(data, "contacts.xlsx").key == "import-err-broken"


def _bomb(megabytes: int) -> bytes:
    """A real zip bomb: a workbook-looking zip with a member of zero bytes, streamed in (ratio about 1000)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(b"\x00" * (1 << 20))
    return out.getvalue()


def _declared(content: bytes, megabytes: int, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip whose sheet holds ``content`` but declares ``megabytes`` unpacked (a crafted bomb)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", content)
    return _patch_sizes(out.getvalue(), "xl/worksheets/sheet1.xml", megabytes * 1024 * 1024)


@pytest.mark.parametrize(
    "make",
    [
        lambda: _bomb(12),
        lambda: _declared(b"\x00" * 300_000, 300),
        lambda: _declared(os.urandom(3 * 1024 * 1024), 210, zipfile.ZIP_STORED),
    ],
    ids=["real-ratio-1000", "declared-300-MB", "declared-210-MB-at-ratio-70"],
)
def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(
    monkeypatch: pytest.MonkeyPatch, make: Callable[[], bytes]
) -> None:
    data = make()
    assert len(data) < 4 * 1024 * 1024

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    assert refused(data, "contacts.xlsx").key == "import-err-zip-bomb"


def test_a_workbook_of_many_members_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(1001):
            archive.writestr(f"xl/media/{n}.xml", "")
    assert refused(out.getvalue(), "contacts.xlsx").key == "import-err-zip-bomb"


def test_a_zip_whose_declared_size_lies_is_broken() -> None:
    """The central directory declares a small member; Python's zipfile never inflates past it."""
    rows = [["ФИО"]] + [["Иванов"] for _ in range(200)]
    patched = _patch_sizes(xlsx(rows), "xl/worksheets/sheet1.xml", 10)
    assert refused(patched, "contacts.xlsx").key == "import-err-broken"


def _patch_sizes(data: bytes, name: str, size: int) -> bytes:
    """The zip with ``name``'s uncompressed size declared as ``size`` (local header and central directory)."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            if out[start + name_at : start + name_at + len(encoded)] == encoded:
                out[start + size_at : start + size_at + 4] = size.to_bytes(4, "little")
            start += 4
    return bytes(out)


# --- the samples, and the catalogs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "delimiter_free_header", "rows"),
    [
        ("amocrm_contacts.csv", "Мобильный телефон (контакт)", 3),
        ("bitrix24_contacts.csv", "Частный e-mail", 2),
    ],
)
def test_vendor_samples_are_read(filename: str, delimiter_free_header: str, rows: int) -> None:
    raw = (DATA / filename).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (filename.startswith("amocrm"))
    table = read(raw, filename)
    assert delimiter_free_header in table.headers
    assert len(table.rows) == rows and all(len(row) == len(table.headers) for row in table.rows)


def test_amocrm_note_with_a_newline_stays_in_its_cell() -> None:
    table = read((DATA / "amocrm_contacts.csv").read_bytes(), "amocrm_contacts.csv")
    note = table.rows[0][table.headers.index("Примечание")]
    assert note == "Встретились на выставке, просил перезвонить\nпосле 15-го"


def test_a_russian_xlsx_is_read_and_recognised() -> None:
    data = xlsx(
        [
            ["Ф.И.О.", "Моб. телефон", "Дата рождения", "Эл. почта", "Должность", "Организация", "Отрасль",
             "Регион", "Ответственный"],
            ["Иванов Пётр", 79123456789.0, datetime(1985, 3, 15), "petr@mail.ru", "Инженер", "ООО «Ромашка»",
             "Строительство", "Урал", "Смирнова Анна"],
        ]
    )  # fmt: skip
    table = read(data, "contacts_ru.xlsx")
    assert recognise(table.headers) == [
        Field.FULL_NAME, Field.MOBILE, Field.BIRTH_DATE, Field.EMAIL, Field.POSITION, Field.CLIENT,
        Field.INDUSTRY, Field.REGION, Field.RESPONSIBLE,
    ]  # fmt: skip
    assert table.rows[0][:3] == ["Иванов Пётр", "79123456789", "15.03.1985"]


def test_every_import_key_and_field_has_a_message_in_both_languages() -> None:
    source = (ROOT / "bot" / "import_files.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'"(import-err-[a-z-]+)"', source)) | {f"import-field-{field}" for field in Field}
    assert {"import-err-zip-bomb", "import-err-cell-formula", "import-field-mobile"} <= keys
    for language in ("ru", "en"):
        text = (ROOT / "locales" / language / "imports.ftl").read_text(encoding="utf-8")
        assert keys <= set(re.findall(r"^([a-z0-9_-]+) =", text, flags=re.M)), language


def test_a_file_is_read_as_a_stream_in_batches_and_read_again_from_the_top() -> None:
    rows = [HEADERS] + [
        [f"Иванов {n}", f"+7 912 000-00-{n:02d}", "=1+1" if n == 3 else "ООО"] for n in range(7)
    ]
    data = csv_text([*rows[:3], [], *rows[3:]], ";").encode()  # a blank line after the second row
    reader = open_table(data, "contacts.csv", max_rows=100, max_bytes=1 << 20)
    assert reader.headers == HEADERS and reader.source == "csv"
    batches = list(reader.batches(3))
    assert [len(batch) for batch in batches] == [3, 3, 1]
    assert [row.number for batch in batches for row in batch] == [2, 3, 5, 6, 7, 8, 9]
    assert batches[1][0].errors == {2: FORMULA} and not batches[0][0].errors
    assert [row.cells for row in reader.rows()] == read(data).rows  # again from the top, the same rows


def test_the_file_step_scans_every_row_and_keeps_only_samples_and_a_count() -> None:
    rows = [HEADERS, ["Иванов", "", ""], ["Петров", "+7 912 000-00-01", ""], ["Сидоров", "", "ООО «Север»"]]
    summary = scan_table(csv_text(rows, ",").encode(), "contacts.csv", max_rows=100, max_bytes=1 << 20)
    assert (summary.rows, summary.headers) == (3, HEADERS)
    assert summary.samples == ["Иванов", "+7 912 000-00-01", "ООО «Север»"]
    broken_below = csv_text(rows, ",").encode() + b'"unclosed,quote\n'
    with pytest.raises(ValidationError) as caught:
        scan_table(broken_below, "contacts.csv", max_rows=100, max_bytes=1 << 20)
    assert caught.value.key == "import-err-broken"
    for filename, data in (
        ("contacts.csv", b"\xd0\xa4\xd0\x98\xd0\x9e\n"),
        ("contacts.xlsx", xlsx([HEADERS])),
    ):
        with pytest.raises(ValidationError) as caught:
            scan_table(data, filename, max_rows=100, max_bytes=1 << 20)
        assert caught.value.key == "import-err-no-rows"


def test_an_xlsx_streams_its_rows_in_batches() -> None:
    data = xlsx([HEADERS] + [[f"Иванов {n}", 79120000000 + n, None] for n in range(5)])
    reader = open_table(data, "contacts.xlsx", max_rows=100, max_bytes=1 << 20)
    assert [len(batch) for batch in reader.batches(2)] == [2, 2, 1]
    assert [row.cells[1] for row in reader.rows()] == [str(79120000000 + n) for n in range(5)]
    with pytest.raises(ValidationError) as caught:
        list(open_table(data, "contacts.xlsx", max_rows=4, max_bytes=1 << 20).rows())
    assert caught.value.key == "import-err-too-many-rows"
