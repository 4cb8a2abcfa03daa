"""Every saved row re-checked with the domain functions (R2–R5): whatever was typed, no row breaks a rule."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import combinations
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from db.models import DUPLICATE_KEY_COLUMNS, Contact, Deal, Interaction, Task
from domain.comments import check_expanded_comment
from domain.deals import DealSnapshot, DealStatus, ProductLine, missing_fields
from domain.duplicates import FIELDS, ContactIdentity, is_duplicate, match_keys, matching_fields
from domain.errors import ValidationError
from domain.values import BirthDate, Email, FullName, MobilePhone, name_key


def short(text: str, limit: int = 60) -> str:
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


COMPANY_DOMAINS = ("fieldcrm.ru",)  # as in tests/conftest.py's settings
MAX_AMOUNT_MINOR = 10**12 * 100
MAX_DUE = timedelta(days=5 * 366 + 2)


_WORD = re.compile(r"[^\W\d_]+")
_KEYBOARD_ROWS = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def real_words(text: str) -> set[str]:
    """An oracle for R3 independent of ``domain.comments``: distinct words of 3+ letters that are neither one
    repeated letter nor a run of a keyboard row («ааа», «йцу»). Numbers never count here."""
    words = set()
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    for word in _WORD.findall(plain.casefold().replace("е\u0308", "е")):
        if len(word) < 3 or len(set(word)) == 1 or any(word in row for row in _KEYBOARD_ROWS):
            continue
        words.add(word)
    return words


def obviously_not_expanded(text: str | None) -> bool:
    """True for text that no reading of R3 can call expanded: fewer than two distinct real words
    («1 2 3», «ааа ббб ввв», «йцу кен гшщ», «... ... ...», «тест тест тест»). A single word with numbers
    («20 ноутбуков 30») is left to the domain: numbers beside words may count."""
    words = real_words(text or "")
    return not words or (len(words) == 1 and not any(char.isdigit() for char in text or ""))


# Latin letters that look like Cyrillic ones, folded to the Cyrillic letter: an oracle for R5 that does not
# depend on the domain's own folding («Opex Bepa» is «Орех Вера» to a reader).
_FOLD = str.maketrans("aceopxyABCEHKMOPTXb", "асеорхуАВСЕНКМОРТХь")


def folded_fields(contact: Contact) -> tuple[str, str, str, str]:
    """The four R5a fields, the name folded to Cyrillic look-alikes."""
    return (
        name_key(contact.name_key.translate(_FOLD)),
        contact.phone.strip(),
        contact.birth_date.isoformat(),
        contact.email.strip().lower(),
    )


def _identity(contact: Contact) -> ContactIdentity:
    return ContactIdentity(contact.name_key, contact.phone, contact.birth_date, contact.email)


def contact_problems(contact: Contact, today: date) -> list[str]:
    """R4a: every required field valid as stored; R5c: the stored keys are the keys of the stored fields."""
    tag = f"contact #{contact.id}"
    problems: list[str] = []
    try:
        if MobilePhone.parse(contact.phone).e164 != contact.phone:
            problems.append(f"{tag}: phone is not in E.164 (R4a)")
    except ValidationError as error:
        problems.append(f"{tag}: phone refused by MobilePhone ({error.key}) (R4a)")
    try:
        if Email.parse(contact.email, COMPANY_DOMAINS).value != contact.email:
            problems.append(f"{tag}: e-mail not normalised (R4a)")
    except ValidationError as error:
        problems.append(f"{tag}: e-mail refused by Email ({error.key}) (R4a, R4b)")
    try:
        BirthDate.parse(contact.birth_date.strftime("%d.%m.%Y"), today)
    except ValidationError as error:
        problems.append(f"{tag}: birth date out of range ({error.key}) (R4a)")
    display = " ".join(p for p in (contact.surname, contact.given_name, contact.patronymic) if p)
    try:
        parsed = FullName.parse(display)
        if parsed.key() != contact.name_key:
            problems.append(f"{tag}: name key differs from the name's key (R5a)")
    except ValidationError as error:
        problems.append(f"{tag}: name refused by FullName ({error.key}) (R4a)")
    if name_key(contact.name_key) != contact.name_key:
        problems.append(f"{tag}: name key is not normalised (R5a)")
    keys = match_keys(_identity(contact))
    stale = [pair for pair, column in DUPLICATE_KEY_COLUMNS.items() if getattr(contact, column) != keys[pair]]
    if stale:
        problems.append(f"{tag}: stored R5 keys differ from recomputed ones: {', '.join(stale)} (R5c)")
    return problems


def deal_snapshot(deal: Deal) -> DealSnapshot:
    """What R2 knows of a stored deal (its lines loaded)."""
    return DealSnapshot(
        product_group_id=deal.product_group_id,
        stage_id=deal.stage_id,
        contact_id=deal.contact_id,
        comment=deal.comment,
        lines=[ProductLine(line.product_id, Decimal(line.amount_minor) / 100) for line in deal.lines],
        status=DealStatus(deal.status),
        last_qualifying_at=deal.last_qualifying_at,
        created_at=deal.created_at,
    )


def deal_problems(deal: Deal) -> list[str]:
    """R2f: a deal saved from the form is correct (R3d comment, product lines with amounts above 0)."""
    snapshot = deal_snapshot(deal)
    problems = (
        [f"deal #{deal.id}: saved incorrect, missing {', '.join(missing)} (R2f)"]
        if (missing := missing_fields(snapshot))
        else []
    )
    if not missing and obviously_not_expanded(deal.comment):
        problems.append(
            f"deal #{deal.id}: correct with a comment without real words (R2f, R3d): {short(deal.comment)}"
        )
    if any(line.amount_minor > MAX_AMOUNT_MINOR for line in deal.lines):
        problems.append(f"deal #{deal.id}: a line amount over 10^12 (R2f)")
    return problems


async def broken_rows(
    sessionmaker: async_sessionmaker[AsyncSession], *, form_deals_only: bool = True
) -> list[str]:
    """Every saved row that breaks R2–R5, as short descriptions without personal data."""
    today = datetime.now(ZoneInfo("Europe/Moscow")).date()  # the forms' clock (DEFAULT_TIMEZONE)
    problems: list[str] = []
    async with sessionmaker() as session:
        contacts = list(await session.scalars(select(Contact).order_by(Contact.id)))
        deals = list(await session.scalars(select(Deal).options(selectinload(Deal.lines)).order_by(Deal.id)))
        interactions = list(await session.scalars(select(Interaction).order_by(Interaction.id)))
        tasks = list(await session.scalars(select(Task).order_by(Task.id)))
    for contact in contacts:
        problems += contact_problems(contact, today)
    keys = {contact.id: match_keys(_identity(contact)) for contact in contacts}
    for first, second in combinations(contacts, 2):
        shared = [pair for pair, key in keys[first.id].items() if keys[second.id][pair] == key]
        if is_duplicate(_identity(first), _identity(second)) or shared:
            fields = "+".join(sorted(matching_fields(_identity(first), _identity(second)))) or ",".join(
                shared
            )
            problems.append(f"contacts #{first.id} and #{second.id} match on {fields} (R5a)")
            continue
        same = [
            name
            for name, a, b in zip(FIELDS, folded_fields(first), folded_fields(second), strict=True)
            if a == b
        ]
        if len(same) >= 2:
            problems.append(
                f"contacts #{first.id} and #{second.id} match on {'+'.join(same)} "
                "once look-alike letters are folded (R5a)"
            )
    for deal in deals:
        problems += deal_problems(deal)
    for row in interactions:
        if row.qualifying and not check_expanded_comment(row.discussed, row.agreed).ok:
            problems.append(f"interaction #{row.id}: qualifying without an expanded comment (R3, R1d)")
        elif row.qualifying and (obviously_not_expanded(row.discussed) or obviously_not_expanded(row.agreed)):
            problems.append(
                f"interaction #{row.id}: qualifying with a part that has no real words (R3, R1d): "
                f"discussed {short(row.discussed or '')}, agreed {short(row.agreed or '')}"
            )
    now = datetime.now(UTC)
    for task in tasks:
        if task.due_at > now + MAX_DUE:
            problems.append(f"task #{task.id}: due more than 5 years ahead")
    return problems
