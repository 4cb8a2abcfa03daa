"""Generators of hostile text for the fuzz tests (issue 9, Deliver 11).

Every generator takes a seeded ``random.Random`` and returns one text; :func:`generate` picks a class and
returns ``(class name, text)``, so a failure names the kind of input that caused it. Texts are what Telegram
could deliver: at most 4,096 characters and no lone surrogates (Telegram only sends valid UTF-8).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from domain.comments import DEFAULT_STOP_PHRASES

MAX_TEXT = 4096

# Planes 0, 1, 2, 3, 14, 15, 16 (BMP, SMP, SIP, TIP, SSP and the private use planes), surrogates excluded.
_PLANES: tuple[tuple[int, int], ...] = (
    (0x0020, 0xD7FF),
    (0xE000, 0xFFFD),
    (0x10000, 0x1FFFF),
    (0x20000, 0x2FFFF),
    (0x30000, 0x3134F),
    (0xE0000, 0xE01EF),
    (0xF0000, 0xFFFFD),
    (0x100000, 0x10FFFD),
)
_CYRILLIC_WORDS = (
    "Иванов", "Пётр", "сканер", "склад", "договор", "поставка", "бюджет", "клиент", "Ёлкина", "обсудили",
    "договорились", "коммерческое", "предложение", "пятницу", "понедельник", "ноутбуков", "цена", "ООО",
    "Ромашка", "терминал", "звонок", "встреча", "отправим", "счёт", "Анна", "Сергеевна", "Смирнов",
)  # fmt: skip
_LATIN_WORDS = ("Ivanov", "scanner", "deal", "price", "Smith", "John", "warehouse", "Opex", "Bepa", "test")
_RTL = (
    "مرحبا بالعالم", "שלום עולם", "محمد علي", "דוד כהן", "\u202eИванов Иван\u202c", "\u202bتست\u202c",
    "\u200fاسم\u200f", "\u061c١٢٣٤", "ﷺ ﷽", "עִבְרִית",
)  # fmt: skip
_ZERO_WIDTH = (
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u200e",
    "\u200f",
    "\u180e",
    "\u00ad",
    "\u034f",
)
_COMBINING = [chr(c) for c in range(0x0300, 0x036F)] + ["\u0489", "\u20dd", "\u20e3", "\ufe0f", "\u0301"]
_WHITESPACE = (
    " ",
    "\t",
    "\n",
    "\r\n",
    "\u00a0",
    "\u2002",
    "\u2003",
    "\u2009",
    "\u3000",
    "\u2028",
    "\u2029",
    "\u205f",
)
_MARKUP = (
    "<b>", "</b>", "&", "</code>", "<code>", "<i>жирный</i>", "<a href=\"javascript:alert(1)\">x</a>",
    "&amp;", "&lt;", "&#0;", "&#x110000;", "&nbsp;", "<tg-spoiler>", "<pre><code class=\"x\">",
    "<script>alert(1)</script>", "<<>>", "<>", "<!--", "-->", "]]>", "<br/>", "&&&", "<b><i></b></i>",
    "{$name}", "{ $count }", "{", "}", "%s", "%(name)s", "{0}", "\\", "`", "*bold*", "_x_", "[a](b)",
)  # fmt: skip
_SQL = (
    "'; DROP TABLE contacts; --", "\" OR 1=1 --", "' OR ''='", "1; DELETE FROM users", "%", "_", "%%",
    "%_%", "\\%", "' UNION SELECT * FROM users --", "NULL", "null", "None", "0x00", "'", "\"", "--", "/*",
    "*/", "; PRAGMA writable_schema=1;", "ИВАНОВ' --", "Robert'); DROP TABLE students;--",
)  # fmt: skip
_CONTROL = ("\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\u0000\u0000")
_NUMBERS = (
    "1" + "0" * 30, str(10**30), str(2**63), str(2**63 - 1), str(2**64), str(-(2**63)), "-1", "0", "-0",
    "1e308", "1e-308", "NaN", "inf", "-inf", "9" * 40, "1 000 000 000 000", "999 999 999 999,99",
    "1 000 000 000 000,01", "0,001", "0.005", "-100 ₽", "−5", "1,5к", "2 млн", "10^30", "2^63", "1/0",
    "١٢٣٤٥", "１２３４５", "Ⅻ", "½", "0x7fffffffffffffff", "1_000_000", "12.345.678,90", "00000000000000001",
    "3.14.15", "+-+-1", "50к", "1e3", "  42  ", "٣", "𝟙𝟚𝟛",
)  # fmt: skip
_DATES = (
    "31.02.2000", "00.00.0000", "9999-99-99", "29.02.2023", "29.02.2024", "32.13.2020", "01.01.0001",
    "31.12.9999", "01.01.1900", "01.01.1800", "1.1.1", "0000-00-00", "2000-02-30", "31/04/1990",
    "25.03.85", "25 мартобря 1985", "31 февраля 2000", "February 30, 2000", "12.07.1990г", "12.07.1990 года",
    "завтра в 25:61", "через 99999 лет", "через 0 дней", "вчера", "сегодня в 00:00", "через 5 лет",
    "через 6 лет",
    "31.12 23:59", "24:00", "99:99", "завтра", "через 3 дня", "в пятницу", "next monday", "tomorrow 10:00",
    "01.01.2030 10:00", "2031-12-31", "2026-12-01T10:00", "понедельник 9:00", "через 10000 дней",
)  # fmt: skip
_PHONES = (
    "+7", "+7 000 000-00-00", "8 (800) 555-35-35", "+1 202 555 0199", "+7 912 345-67-89", "89123456789",
    "+7 912 345-67-89 доб. 123", "9" * 20, "+" * 10, "tel:+79123456789", "+7 (9١٢) ٣٤٥-٦٧-٨٩",
    "＋７ ９１２ ３４５ ６７ ８９", "+7 495 123-45-67", "+375 29 123-45-67", "+44 7700 900123",
    "+7-912-345-67-8",
    "+79123456789" + "0" * 10, "+0 000", "+999 123456789", "8 912 345 67 89 ext 5", "+7 912 345 67 89#",
    "+7\u200b912\u200b3456789", "+7 912 345-67-89\n+7 916 123-45-67", "7" * 15,
)  # fmt: skip
_EMAILS = (
    "a@b", "@", "a@@b.ru", "ivanov@mail..ru", "ivanov@fieldcrm.ru", "boss@sub.fieldcrm.ru", "<script>@x.ru",
    "имя@почта.рф", "a" * 64 + "@x.ru", "a" * 65 + "@x.ru", "x@" + "a" * 250 + ".ru", "ivanov@mail.ru\x00",
    "ivanov@mail.ru ", " IVANOV@MAIL.RU", "iv anov@mail.ru", "\"quoted\"@mail.ru", "a@[127.0.0.1]",
    "a@localhost", "a+tag@gmail.com", "ivanov@mail.ru, petrov@mail.ru", "mailto:ivanov@mail.ru",
    "ivanov@mail.ru<b>", "іvanov@mail.ru", "a@b.c", "a@xn--80a1acny.xn--p1ai", "test@test.test",
)  # fmt: skip
_EMOJI = (
    "😀", "👍🏿", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇷🇺", "❤️", "🔥", "💼", "📞", "1️⃣", "🧑🏽‍💻", "🫠", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "©️", "™", "⚡️",
)  # fmt: skip
# Cyrillic letters and the Latin letters that look the same.
_LOOKALIKE = str.maketrans("ореасВОРЕНКМТху", "opeacBOPEHKMTxy")
_VALID_NAMES = (
    "Петров Пётр Петрович", "Иванова Анна", "Смирнов-Петров Иван", "Ким Ир", "О'Коннор Шон", "Ёлкин Ёж",
    "Мамин-Сибиряк Дмитрий Наркисович", "Opex Bepa", "Орех Вера", "Smith John", "де Голль Шарль",
)  # fmt: skip
_COMMENTS = (
    "Обсудили поставку 20 сканеров, клиенту важна цена",
    "Отправляю коммерческое предложение до пятницы, созвон в понедельник",
    "Клиенту нужны 5 сканеров, ждём согласования бюджета до конца месяца",
    "Договорились о демонстрации терминалов на складе в среду",
)


def _pick(rng: random.Random, items: Sequence[str]) -> str:
    return items[rng.randrange(len(items))]


def _clip(text: str) -> str:
    return text[:MAX_TEXT]


def unicode_planes(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(1, 40)):
        low, high = _pick_range(rng)
        out.append(chr(rng.randint(low, high)))
    return "".join(out)


def _pick_range(rng: random.Random) -> tuple[int, int]:
    return _PLANES[rng.randrange(len(_PLANES))]


def rtl(rng: random.Random) -> str:
    parts = [_pick(rng, _RTL) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.5:
        parts.insert(rng.randrange(len(parts) + 1), _pick(rng, _CYRILLIC_WORDS))
    return " ".join(parts)


def zero_width(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return "".join(_pick(rng, _ZERO_WIDTH) for _ in range(rng.randint(1, 10)))
    base = _valid_ish(rng)
    chars = list(base)
    for _ in range(rng.randint(1, 8)):
        chars.insert(rng.randrange(len(chars) + 1), _pick(rng, _ZERO_WIDTH))
    return "".join(chars)


def combining(rng: random.Random) -> str:
    base = _valid_ish(rng)
    out = []
    for char in base:
        out.append(char)
        if rng.random() < 0.4:
            out.append("".join(_pick(rng, _COMBINING) for _ in range(rng.randint(1, 12))))
    if rng.random() < 0.2:
        out.insert(0, "".join(_pick(rng, _COMBINING) for _ in range(5)))
    return "".join(out)


def long_text(rng: random.Random) -> str:
    """Texts up to Telegram's 4,096 characters: plain, all-markup, words, and the worst case for escaping."""
    length = rng.choice((MAX_TEXT, MAX_TEXT, MAX_TEXT - 1, 2501, 2600, 1500, 700, 1000, 3000))
    kind = rng.randrange(7)
    if kind == 0:
        return "я" * length
    if kind == 1:
        return _pick(rng, ("<", "&", ">", '"', "'")) * length
    if kind == 2:
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < length:
            words.append(_pick(rng, _CYRILLIC_WORDS))
        return _clip(" ".join(words)[:length])
    if kind == 3:
        return _clip((_pick(rng, _COMMENTS) + " <b>&amp;</b> ") * (length // 40 + 1))[:length]
    if kind == 4:
        return "😀" * (length // 2)  # 2 UTF-16 units each, as Telegram counts
    if kind == 5:
        return " ".join("слово" for _ in range(length // 6))  # about 680 words: the search's worst case
    return "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(length))


def markup(rng: random.Random) -> str:
    parts = [_pick(rng, _MARKUP) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.6:
        parts.insert(rng.randrange(len(parts) + 1), _valid_ish(rng))
    return rng.choice(("", " ")).join(parts)


def sql(rng: random.Random) -> str:
    text = _pick(rng, _SQL)
    if rng.random() < 0.5:
        text = f"{_pick(rng, _CYRILLIC_WORDS)} {text} {_pick(rng, _CYRILLIC_WORDS)}"
    return text


def control(rng: random.Random) -> str:
    base = _valid_ish(rng)
    pos = rng.randrange(len(base) + 1)
    return base[:pos] + _pick(rng, _CONTROL) * rng.randint(1, 3) + base[pos:]


def numbers(rng: random.Random) -> str:
    text = _pick(rng, _NUMBERS)
    if rng.random() < 0.2:
        text += rng.choice((" ₽", " руб.", "к", " млн", " $", " EUR", "%"))
    return text


def dates(rng: random.Random) -> str:
    if rng.random() < 0.3:
        day, month, year = (
            rng.randint(-1, 40),
            rng.randint(-1, 14),
            rng.choice((0, 1, 99, 1899, 1990, 2030, 9999)),
        )
        return f"{day:02d}.{month:02d}.{year:04d}"
    return _pick(rng, _DATES)


def phones(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "+7 9" + "".join(str(rng.randrange(10)) for _ in range(rng.randint(5, 12)))
    return _pick(rng, _PHONES)


def emails(rng: random.Random) -> str:
    if rng.random() < 0.3:
        local = "".join(rng.choice("abcxyz._-+") for _ in range(rng.randint(1, 12)))
        return f"{local}@{rng.choice(('mail.ru', 'ya.ru', 'fieldcrm.ru', 'x', '.ru', 'mail.ru.'))}"
    return _pick(rng, _EMAILS)


def emoji(rng: random.Random) -> str:
    text = "".join(_pick(rng, _EMOJI) for _ in range(rng.randint(1, 12)))
    if rng.random() < 0.5:
        text = f"{_valid_ish(rng)} {text}"
    return text


def whitespace(rng: random.Random) -> str:
    return "".join(_pick(rng, _WHITESPACE) for _ in range(rng.randint(1, 20)))


def stop_phrases(rng: random.Random) -> str:
    special = ("1 2 3", "4 5 6", "ааа ббб ввв", "йцу кен гшщ", "... ... ...", "тест тест тест", "qwe rty uio",
               "1 2 3 4 5 6 7 8", "ок ок ок", "нд нд нд", "12 34 56", "аа бб вв гг")  # fmt: skip
    if rng.random() < 0.5:
        return _pick(rng, special)
    phrases = sorted(DEFAULT_STOP_PHRASES)
    return ", ".join(_pick(rng, phrases) for _ in range(rng.randint(1, 4)))


def lookalike(rng: random.Random) -> str:
    """Cyrillic names and comments with some letters swapped for Latin look-alikes (R5 folding)."""
    text = _pick(rng, _VALID_NAMES + _COMMENTS)
    if rng.random() < 0.5:
        return text.translate(_LOOKALIKE)
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(chars))
        chars[i] = chars[i].translate(_LOOKALIKE)
    return "".join(chars)


def plausible(rng: random.Random) -> str:
    """Values a step might accept, so the accepted path is fuzzed too."""
    return _valid_ish(rng)


def many_words(rng: random.Random) -> str:
    count = rng.choice((8, 9, 50, 200, 1000))
    return " ".join(_pick(rng, _CYRILLIC_WORDS + _LATIN_WORDS) for _ in range(count))[:MAX_TEXT]


def _valid_ish(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind == 0:
        return _pick(rng, _VALID_NAMES)
    if kind == 1:
        return _pick(rng, _COMMENTS)
    if kind == 2:
        return f"+7 9{rng.randrange(10**9):09d}"
    if kind == 3:
        return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1920, 2010)}"
    if kind == 4:
        domain = rng.choice(("mail.ru", "yandex.ru", "gmail.com"))
        return f"{rng.choice(_LATIN_WORDS).lower()}{rng.randrange(1000)}@{domain}"
    if kind == 5:
        return f"{rng.randint(1, 999)} {rng.choice(('000', '500', '250'))}"
    if kind == 6:
        return " ".join(_pick(rng, _CYRILLIC_WORDS) for _ in range(rng.randint(1, 8)))
    return _pick(
        rng, ("Europe/Moscow", "Asia/Vladivostok", "UTC", "Mars/Olympus", "Etc/GMT+12", "../../etc/passwd")
    )


def mixed(rng: random.Random) -> str:
    first, second = rng.sample(_BASIC, 2)
    return _clip(f"{first[1](rng)}{rng.choice(('', ' ', chr(10)))}{second[1](rng)}")


Generator = Callable[[random.Random], str]

_BASIC: list[tuple[str, Generator]] = [
    ("unicode", unicode_planes),
    ("rtl", rtl),
    ("zero-width", zero_width),
    ("combining", combining),
    ("markup", markup),
    ("sql", sql),
    ("control/null", control),
    ("number", numbers),
    ("date", dates),
    ("phone", phones),
    ("email", emails),
    ("emoji", emoji),
    ("whitespace", whitespace),
    ("stop-phrase", stop_phrases),
    ("look-alike", lookalike),
    ("plausible", plausible),
]
# (class, generator, weight): long texts are the slowest, so they come less often, but still by the hundred.
CLASSES: list[tuple[str, Generator, int]] = [
    *((name, gen, 6) for name, gen in _BASIC),
    ("long-4096", long_text, 3),
    ("many-words", many_words, 1),
    ("mixed", mixed, 4),
]
_NAMES = [c[0] for c in CLASSES]
_WEIGHTS = [c[2] for c in CLASSES]
_BY_NAME = {c[0]: c[1] for c in CLASSES}


def canonical() -> list[tuple[str, str]]:
    """The known worst cases, sent first at every step so that even a short run covers each class once:
    the lengths where Fluent refused arguments (700 «<», 1,500 «&», 2,600 characters), Telegram's 4,096, a
    thousand words, R3's keyboard mash, the huge numbers and impossible dates of the issue, and the rest."""
    cases: list[tuple[str, str]] = []
    for char in ("<", "&", ">", '"', "я"):
        for length in (700, 1500, 2501, 2600, MAX_TEXT):
            cases.append(("long-4096", char * length))
    cases += [
        ("long-4096", "😀" * (MAX_TEXT // 2)),
        ("many-words", " ".join(["слово"] * 1000)[:MAX_TEXT]),
        ("many-words", " ".join(f"w{i}" for i in range(1000))[:MAX_TEXT]),
        ("long-4096", (_COMMENTS[0] + " <b>&amp;</b> ") * 60),
    ]
    mash = (
        "1 2 3",
        "4 5 6",
        "ааа ббб ввв",
        "йцу кен гшщ",
        "... ... ...",
        "тест тест тест",
        "НД",
        "перезвонить",
    )
    cases += [("stop-phrase", text) for text in mash]
    cases += [("number", text) for text in ("1" + "0" * 30, str(2**63), str(2**63 - 1), "-1", "0", "1e308")]
    cases += [
        ("date", text) for text in ("31.02.2000", "00.00.0000", "9999-99-99", "29.02.2023", "01.01.0001")
    ]
    cases += [("markup", text) for text in ("<b>", "&", "</code>", "<i>x</i>", "&amp;", "{$name}", "{ }")]
    cases += [("sql", text) for text in ("'; DROP TABLE contacts; --", "%", "_", "\\")]
    cases += [("control/null", text) for text in ("\x00", "Иванов\x00Иван", "\x1b[31m")]
    cases += [("whitespace", text) for text in (" ", "\n\n", "\u00a0", "\u3000", "\t \t")]
    cases += [("zero-width", text) for text in ("\u200b", "\u200b\u200c\u200d\ufeff", "Ива\u200bнов Иван")]
    cases += [
        ("rtl", "\u202eИванов Иван\u202c"),
        ("rtl", "مرحبا بالعالم"),
        ("combining", "И" + "\u0301" * 200),
        ("unicode", "\U0010fffd\U000e0001\U0001f600\U00020000"),
        ("phone", "+7 000 000-00-00"),
        ("phone", "9" * 20),
        ("email", "a@@b.ru"),
        ("email", "x@" + "a" * 250 + ".ru"),
        ("emoji", "👨‍👩‍👧‍👦🏳️‍🌈🇷🇺"),
        ("look-alike", "Opex Bepa"),
    ]
    return [(klass, text[:MAX_TEXT]) for klass, text in cases]


def generate(rng: random.Random, extra: Sequence[str] = ()) -> tuple[str, str]:
    """One input: ``(class, text)``. ``extra`` are step-specific examples, mutated now and then."""
    if extra and rng.random() < 0.1:
        text = _pick(rng, extra)
        if rng.random() < 0.5:
            text = _mutate(rng, text)
        return "step-example", _clip(text) or " "
    name = rng.choices(_NAMES, weights=_WEIGHTS)[0]
    text = _clip(_BY_NAME[name](rng))
    return name, text or " "


def _mutate(rng: random.Random, text: str) -> str:
    how = rng.randrange(5)
    if how == 0:
        return text.translate(_LOOKALIKE)
    if how == 1:
        return _pick(rng, _MARKUP) + text + _pick(rng, _MARKUP)
    if how == 2:
        return text.upper()
    if how == 3:
        return f"  {text}\n"
    return text + _pick(rng, _ZERO_WIDTH)
