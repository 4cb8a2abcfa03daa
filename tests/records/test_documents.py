"""Documents on cards: a file sent while a card is open, «📎 Прикрепить», the list, and sending one back."""

from __future__ import annotations

from aiogram.methods import SendDocument, SendMessage, SendPhoto, SendVoice
from sqlalchemy import select, update

from bot.callbacks import DealCb, LeadCb
from db.engine import writing
from db.models import AuditEntry, Document, Lead
from handlers.legacy.records import DocCb, DocsCb
from tests.factories import make_contact, make_lead, make_user
from tests.flows.deals.helpers import MANAGER, convertible_lead, insert_deal
from tests.harness import Harness
from tests.records import DENIED, Sessionmaker, count, documents, send_photo, send_voice
from tests.registry import make_client, open_client

TEAM_LEAD, MEMBER, STRANGER = 911, 912, 913


async def test_document_sent_to_an_open_deal_comes_back_when_asked_for(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(DealCb(action="open", id=deal_id).pack())
    assert {"🕘 История", "📎 Документы (0)", "📎 Прикрепить"} <= set(u.buttons())
    replies = await u.send_document("КП <b>v2</b>.pdf", size=1_536)
    assert replies == [f"📎 Файл «КП &lt;b&gt;v2&lt;/b&gt;.pdf» прикреплён: сделка №{deal_id}."]
    [doc] = await documents(sessionmaker)
    assert (doc.entity, doc.entity_id, doc.media, doc.file_name) == (
        "deal",
        deal_id,
        "document",
        "КП <b>v2</b>.pdf",
    )
    assert (doc.mime_type, doc.file_size, doc.author_id) == ("application/pdf", 1_536, setup.manager_id)
    assert doc.file_id.startswith("doc-") and doc.file_unique_id
    async with sessionmaker() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "document_attached"))
    assert entry is not None and (entry.entity, entry.entity_id) == ("deal", deal_id)

    await u.press(DealCb(action="open", id=deal_id).pack())
    listing = (await u.click("Документы (1)"))[-1]
    assert f"Документы: сделка №{deal_id}" in listing
    assert "📄 КП &lt;b&gt;v2&lt;/b&gt;.pdf · 1,5 КБ · Иван Петров ·" in listing
    await u.click("КП <b>v2</b>.pdf")
    [sent] = harness.calls(SendDocument)
    assert sent.document == doc.file_id and int(sent.chat_id) == MANAGER
    assert "КП &lt;b&gt;v2&lt;/b&gt;.pdf" in (sent.caption or "") and "Иван Петров" in (sent.caption or "")

    history = (await u.press(DealCb(action="open", id=deal_id).pack()), await u.click("История"))[1][-1]
    assert "Прикреплён файл" in history and "Файл: КП &lt;b&gt;v2&lt;/b&gt;.pdf" in history
    assert "Тип: Документ" in history and "Размер: 1,5 КБ" in history


async def test_attach_button_waits_for_a_file_re_asks_on_text_then_takes_a_photo_and_a_voice(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(LeadCb(action="open", id=lead).pack())
    asked = (await u.click("Прикрепить"))[-1]
    assert f"будет прикреплено: лид №{lead}" in asked and "КП.pdf" in asked
    assert "✖️ Отмена" in u.buttons()
    assert "жду файл" in (await u.send("вот договор"))[-1]
    assert await count(sessionmaker, Document) == 0
    replies = await send_photo(u)
    assert replies == [f"📎 Файл «Фото» прикреплён: лид №{lead}."]
    [photo] = await documents(sessionmaker)
    assert (photo.media, photo.file_id, photo.file_name, photo.file_size) == (
        "photo",
        photo.file_id,
        None,
        204_800,
    )
    assert photo.file_id.startswith("photo-") and not photo.file_id.startswith("photo-small")

    # The form is over: the next text is not taken as a file.
    assert "Не понял" in (await u.send("ещё текст"))[-1]
    await u.click("Прикрепить")
    replies = await send_voice(u)
    assert replies == [f"📎 Файл «Голосовое сообщение» прикреплён: лид №{lead}."]
    voice = (await documents(sessionmaker))[-1]
    assert (voice.media, voice.mime_type, voice.file_size) == ("voice", "audio/ogg", 2_300_000)

    listing = (await u.click("Документы (2)"))[-1]
    assert listing.index("Голосовое сообщение · 2,2 МБ") < listing.index("Фото · 200,0 КБ")  # newest first
    await u.click("🖼 Фото")
    [sent_photo] = harness.calls(SendPhoto)
    assert sent_photo.photo == photo.file_id
    await u.click("🎤 Голосовое")
    [sent_voice] = harness.calls(SendVoice)
    assert sent_voice.voice == voice.file_id


async def test_attach_cancelled_stores_nothing(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(LeadCb(action="open", id=lead).pack())
    await u.click("Прикрепить")
    assert "отменено" in (await u.click("Отмена"))[-1]
    assert await count(sessionmaker, Document) == 0


async def test_document_without_an_open_card_gets_a_hint_and_nothing_is_stored(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    replies = await u.send_document("КП.pdf")
    assert len(replies) == 1 and "Сначала откройте карточку" in replies[0]
    assert await send_photo(u) == replies
    assert await count(sessionmaker, Document) == 0 and await count(sessionmaker, AuditEntry) == 0


async def test_r1c_document_to_a_lead_the_manager_may_no_longer_act_on_is_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    member = await make_user(sessionmaker, MEMBER, full_name="Менеджер Олег")
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(LeadCb(action="open", id=lead).pack())
    # Meanwhile the lead goes to a colleague: the card stays open in the chat, the right is gone.
    async with writing(sessionmaker) as session:
        await session.execute(update(Lead).where(Lead.id == lead).values(responsible_id=member))
    replies = await u.send_document("КП.pdf")
    assert len(replies) == 1 and "закреплена за другим сотрудником" in replies[0]
    assert "Ничего не сохранено" in replies[0]
    assert await u.press(DocsCb(action="attach", entity="lead", id=lead).pack()) == [DENIED]
    assert await count(sessionmaker, Document) == 0 and await count(sessionmaker, AuditEntry) == 0


async def test_another_manager_cannot_list_fetch_or_attach_to_an_invisible_deal(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup)
    owner = harness.user(MANAGER)
    await owner.send("/menu")
    await owner.press(DealCb(action="open", id=deal_id).pack())
    await owner.send_document("Договор.pdf")
    [doc] = await documents(sessionmaker)

    await make_user(sessionmaker, STRANGER, team="Продажи Юг")
    stranger = harness.user(STRANGER)
    await stranger.send("/menu")
    sent_before = len(harness.calls(SendMessage))
    assert await stranger.press(DocsCb(action="list", entity="deal", id=deal_id).pack()) == [DENIED]
    assert await stranger.press(DocCb(id=doc.id).pack()) == [DENIED]
    assert await stranger.press(DocsCb(action="attach", entity="deal", id=deal_id).pack()) == [DENIED]
    assert len(harness.calls(SendMessage)) == sent_before and harness.calls(SendDocument) == []
    # Without a card of their own open, a file from the stranger goes nowhere.
    assert "Сначала откройте карточку" in (await stranger.send_document("Чужое.pdf"))[-1]
    assert await count(sessionmaker, Document) == 1


async def test_team_lead_sees_and_attaches_to_a_team_deal_and_a_client_card_counts_documents(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    chief = harness.user(TEAM_LEAD, first_name="Анна", last_name="Руководитель")
    await chief.send("/menu")
    await chief.press(DealCb(action="open", id=deal_id).pack())
    assert "прикреплён: сделка" in (await chief.send_document("Счёт.xlsx", size=3_500_000))[-1]
    owner = harness.user(MANAGER)
    await owner.send("/menu")
    await owner.press(DealCb(action="open", id=deal_id).pack())
    listing = (await owner.click("Документы (1)"))[-1]
    assert "Счёт.xlsx · 3,3 МБ · Анна Руководитель" in listing

    client = await make_client(sessionmaker, setup.manager_id)
    await open_client(owner, client)
    assert "📎 Документы (0)" in owner.buttons()
    assert "прикреплён: клиент «ООО Ромашка»" in (await owner.send_document("Устав.pdf"))[-1]
    await open_client(owner, client)
    assert "📎 Документы (1)" in owner.buttons()


async def test_menu_closes_the_open_card_so_a_later_file_is_not_attached(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """A file sent after /menu or /cancel is not attached to a card left long ago: the bot asks for one."""
    deal_id = await insert_deal(sessionmaker, await convertible_lead(sessionmaker))
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(DealCb(action="open", id=deal_id).pack())
    await u.send("/menu")
    replies = await u.send_document("КП.pdf")
    assert "Сначала откройте карточку" in replies[-1]
    assert await documents(sessionmaker) == []
