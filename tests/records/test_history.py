"""«🕘 История» on every card: the audit table as a timeline, each entry with its author and time, a page at
a time; «↩️ Назад к карточке» returns to the card; a record the user may not see shows nothing."""

from __future__ import annotations

from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.callbacks import ContactCb, HistoryCb
from db.models import AuditEntry, Contact, Counterparty, LeadSource, ProductGroup
from tests.factories import make_client, make_contact, make_deal, make_lead, make_user
from tests.flows.contacts.helpers import reach
from tests.harness import Harness, TgUser, first_line, t, tp
from tests.records import DENIED, Sessionmaker, add_audit, count

MANAGER, TEAM_LEAD, MEMBER, STRANGER = 901, 902, 903, 904
AGREED = "Отправляю <b>КП</b> до пятницы & созвон"


def entries_of(history: str) -> list[str]:
    """The timeline's entries (blank-line separated blocks after the title and the page line)."""
    return history.split("\n\n")[1:]


async def old_button(u: TgUser, data: str) -> list[str]:
    """A button on a card sent before the dialogs (still in the chat)."""
    if not u.harness.messages_to(u.telegram_id):
        await u.send("/menu")
    return await u.press(data)


async def test_contact_history_from_the_card_shows_creation_and_edits_escaped_and_returns_to_the_card(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER, first_name="Пётр", last_name="Сидоров")
    await reach(u, "summary")
    await u.click(tp("btn-save"))
    async with sessionmaker() as session:
        contact_id = await session.scalar(select(Contact.id))
    assert contact_id is not None
    await add_audit(
        sessionmaker, manager, "contact", contact_id, "edited",
        before={"position": "Инженер", "nickname": None},
        after={"position": "<b>Главный</b> & Co", "nickname": "<i>Петя</i>"},
    )  # fmt: skip
    history = (await u.click(tp("records-btn-history")))[-1]
    assert first_line("records-history-title-contact", name="Петров Пётр Петрович") in history
    assert t("records-page", page=1, pages=1) in history
    edited, created = entries_of(history)
    assert "Изменены данные" in edited and "Пётр Сидоров" in edited
    assert "Должность: Инженер → &lt;b&gt;Главный&lt;/b&gt; &amp; Co" in edited
    assert "nickname: — → &lt;i&gt;Петя&lt;/i&gt;" in edited  # no label: the raw key
    assert "Контакт создан" in created and "Пётр Сидоров" in created
    for line in ("ФИО: Петров Пётр Петрович", "Телефон: +7 916 123-45-67", "Дата рождения: 12.07.1990"):
        assert line in created
    assert "Ответственный: Пётр Сидоров" in created
    assert tp("btn-prev") not in u.buttons() and tp("btn-next") not in u.buttons()

    back = await u.click(tp("records-btn-to-card"))
    assert "Петров Пётр Петрович" in back[-1] and tp("records-btn-history") in u.buttons()


async def test_lead_history_names_references_and_localises_values(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER, full_name="Пётр Сидоров")
    chief = await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Анна Руководитель")
    member = await make_user(sessionmaker, MEMBER, full_name="Менеджер Олег")
    contact = await make_contact(sessionmaker, manager)
    lead = await make_lead(sessionmaker, contact, manager)
    async with sessionmaker() as session:
        source = await session.scalar(select(LeadSource).where(LeadSource.name == "Сайт"))
        group = await session.scalar(select(ProductGroup).where(ProductGroup.name == "Оборудование"))
    assert source is not None and group is not None
    created = {"contact_id": contact, "source_id": source.id, "product_group_id": group.id,
               "responsible_id": manager, "status": "open"}  # fmt: skip
    await add_audit(sessionmaker, manager, "lead", lead, "created", after=created)
    interaction = {"interaction_id": 1, "kind": "call", "outcome": "reached", "qualifying": True,
                   "agreed": AGREED, "task_id": None}  # fmt: skip
    await add_audit(sessionmaker, manager, "lead", lead, "interaction", after=interaction)
    await add_audit(sessionmaker, chief, "lead", lead, "reassigned",
                    before={"responsible_id": manager}, after={"responsible_id": member})  # fmt: skip
    await add_audit(sessionmaker, chief, "lead", lead, "rejected",
                    before={"status": "open"}, after={"status": "rejected"})  # fmt: skip
    await add_audit(sessionmaker, None, "lead", lead, "converted",
                    before={"status": "open"}, after={"status": "converted", "deal_id": 77})  # fmt: skip

    u = harness.user(TEAM_LEAD, first_name="Анна", last_name="Руководитель")
    history = (await old_button(u, HistoryCb(entity="lead", id=lead).pack()))[-1]

    assert first_line("records-history-title-lead", name=str(lead)) in history
    converted, rejected, reassigned, talked, made = entries_of(history)  # newest first
    assert tp("records-author-system") in converted and "Сделка: №77" in converted
    assert "Лид конвертирован в сделку" in converted
    assert "Лид отклонён" in rejected and "Анна Руководитель" in rejected
    assert "Статус: Открыт → Отклонён" in rejected
    assert "Сменился ответственный" in reassigned
    assert "Ответственный: Пётр Сидоров → Менеджер Олег" in reassigned
    assert "Контакт с клиентом" in talked and "Пётр Сидоров" in talked
    for line in ("Вид: Звонок", "Результативный: да", "&lt;b&gt;КП&lt;/b&gt; до пятницы &amp; созвон"):
        assert line in talked
    assert "Лид создан" in made
    for line in ("Контакт: Иванов Иван Иванович", "Источник: Сайт", "Группа продуктов: Оборудование"):
        assert line in made


async def test_history_pages_ten_entries_newest_first_and_unknown_actions_render(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER, full_name="Мария Менеджер")
    contact = await make_contact(sessionmaker, manager)
    for n in range(1, 26):
        await add_audit(sessionmaker, manager, "contact", contact, "note_added", after={"n": n})
    u = harness.user(MANAGER, first_name="Мария", last_name="Менеджер")
    await old_button(u, ContactCb(action="open", id=contact).pack())
    first = (await u.click(tp("records-btn-history")))[-1]
    assert t("records-page", page=1, pages=3) in first
    assert tp("btn-next") in u.buttons() and tp("btn-prev") not in u.buttons()
    items = entries_of(first)
    assert len(items) == 10 and "n: 25" in items[0] and "n: 16" in items[-1]
    assert all("Действие «note_added»" in item and "Мария Менеджер" in item for item in items)
    second = (await u.click(tp("btn-next")))[-1]
    assert t("records-page", page=2, pages=3) in second and {tp("btn-prev"), tp("btn-next")} <= set(
        u.buttons()
    )
    assert [i.splitlines()[-1] for i in entries_of(second)] == [f"• n: {n}" for n in range(15, 5, -1)]
    third = (await u.click(tp("btn-next")))[-1]
    assert t("records-page", page=3, pages=3) in third and tp("btn-next") not in u.buttons()
    assert [i.splitlines()[-1] for i in entries_of(third)] == [f"• n: {n}" for n in range(5, 0, -1)]
    assert t("records-page", page=2, pages=3) in (await u.click(tp("btn-prev")))[-1]


async def test_a_long_page_shows_fewer_details_and_still_fits_one_message(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    wide = {f"field{k}": "x" * 100 for k in range(8)}
    for _ in range(10):
        await add_audit(sessionmaker, manager, "contact", contact, "edited", after=wide)
    u = harness.user(MANAGER)
    history = (await old_button(u, HistoryCb(entity="contact", id=contact).pack()))[-1]
    assert len(history) <= 4096 and len(entries_of(history)) == 10
    assert "…и ещё изменений" in history


async def test_history_opened_from_an_old_card_message_returns_to_a_new_card(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    history = (await old_button(u, HistoryCb(entity="contact", id=contact).pack()))[-1]
    assert t("records-history-empty") in history
    card = (await u.click(tp("records-btn-to-card")))[-1]
    assert "Иванов Иван Иванович" in card and tp("records-btn-documents", count=0) in u.buttons()


async def test_forged_history_of_an_invisible_record_is_refused_and_shows_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    owner = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, owner)
    lead = await make_lead(sessionmaker, contact, owner)
    deal = await make_deal(sessionmaker, lead, owner)
    client = await make_client(sessionmaker, owner)
    async with sessionmaker() as session, session.begin():
        party = Counterparty(legal_name="ООО Тайна", inn="7707083893", kind="customer", client_id=client,
                             created_by_id=owner)  # fmt: skip
        session.add(party)
        await session.flush()
        party_id = party.id
    for entity, entity_id in (("contact", contact), ("lead", lead), ("deal", deal), ("client", client)):
        await add_audit(sessionmaker, owner, entity, entity_id, "created", after={"secret": "Тайна"})
    await make_user(sessionmaker, STRANGER, team="Продажи Юг")
    stranger = harness.user(STRANGER)
    await stranger.send("/menu")
    sent_before = len(harness.calls(SendMessage))
    for entity, entity_id in (
        ("contact", contact),
        ("lead", lead),
        ("deal", deal),
        ("client", client),
        ("counterparty", party_id),
        ("party", party_id),
    ):
        replies = await stranger.press(HistoryCb(entity=entity, id=entity_id).pack())
        assert replies == [DENIED], entity
    assert len(harness.calls(SendMessage)) == sent_before
    assert await count(sessionmaker, AuditEntry) == 4
    # A stale entity code or a record that is gone: "the button is out of date".
    assert await stranger.press(HistoryCb(entity="user", id=owner).pack()) == [tp("button-stale")]
    assert await stranger.press(HistoryCb(entity="lead", id=10**6).pack()) == [DENIED]


async def test_english_user_reads_the_history_in_english(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    await add_audit(sessionmaker, manager, "contact", contact, "edited",
                    before={"position": "Инженер"}, after={"position": "Директор"})  # fmt: skip
    u = harness.user(MANAGER, language_code="en")
    history = (await old_button(u, HistoryCb(entity="contact", id=contact).pack()))[-1]
    assert first_line("records-history-title-contact", "en", name="Иванов Иван Иванович") in history
    assert t("records-action-edited", "en") in history
    assert tp("records-btn-to-card", "en") in u.buttons()


async def test_text_typed_at_the_history_or_the_documents_gets_a_hint(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await old_button(u, HistoryCb(entity="contact", id=contact).pack())
    replies = await u.send("покажи всё")
    assert replies[-1].startswith("⚠️ " + t("records-use-buttons"))
    assert t("records-history-empty") in replies[-1]
    await u.click(tp("records-btn-to-card"))
    await u.click(tp("records-btn-documents", count=0))
    replies = await u.send("где файлы?")
    assert replies[-1].startswith("⚠️ " + t("records-use-buttons"))
    assert await count(sessionmaker, AuditEntry) == 0
