"""Documents on cards: a file sent while a card is open, the documents window, «📎 Прикрепить», sending one
back, and refusals (R1c, visibility, forged ids)."""

from __future__ import annotations

from aiogram.methods import SendDocument, SendMessage, SendPhoto, SendVoice
from sqlalchemy import select, update

from bot.callbacks import ContactCb, DealCb, DocCb, DocsCb, HistoryCb, LeadCb
from db.engine import writing
from db.models import AuditEntry, Document, Lead
from tests.factories import make_contact, make_deal, make_lead, make_user
from tests.harness import Harness, TgUser, first_line, t, tp
from tests.records import DENIED, Sessionmaker, count, documents, send_photo, send_voice

MANAGER, TEAM_LEAD, MEMBER, STRANGER = 911, 912, 913, 914


async def open_contact(u: TgUser, contact_id: int) -> list[str]:
    return await old_button(u, ContactCb(action="open", id=contact_id).pack())


async def old_button(u: TgUser, data: str) -> list[str]:
    """A button on a message sent before (a card or a notification in the chat)."""
    if not u.harness.messages_to(u.telegram_id):
        await u.send("/menu")
    return await u.press(data)


async def test_file_sent_while_a_card_is_open_is_attached_and_comes_back_when_asked_for(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_contact(u, contact)
    assert {tp("records-btn-history"), tp("records-btn-documents", count=0)} <= set(u.buttons())

    replies = await u.send_document("КП <b>v2</b>.pdf", size=1_536)

    card = t("records-card-contact", name="Иванов Иван Иванович")
    assert replies[0] == t("records-attached", name="КП <b>v2</b>.pdf", card=card)
    assert "&lt;b&gt;v2&lt;/b&gt;" in replies[0]
    assert tp("records-btn-documents", count=1) in u.buttons()  # the card again, below, with the new count
    [doc] = await documents(sessionmaker)
    assert (doc.entity, doc.entity_id, doc.media, doc.file_name) == (
        "contact",
        contact,
        "document",
        "КП <b>v2</b>.pdf",
    )
    assert (doc.mime_type, doc.file_size, doc.author_id) == ("application/pdf", 1_536, manager)
    async with sessionmaker() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "document_attached"))
    assert entry is not None and (entry.entity, entry.entity_id) == ("contact", contact)

    listing = (await u.click(tp("records-btn-documents", count=1)))[-1]
    assert first_line("records-documents-title", card=card) in listing
    assert "📄 КП &lt;b&gt;v2&lt;/b&gt;.pdf · 1,5 КБ · Иван Петров ·" in listing
    await u.click("КП <b>v2</b>.pdf")
    [sent] = harness.calls(SendDocument)
    assert sent.document == doc.file_id and int(sent.chat_id) == MANAGER
    assert "КП &lt;b&gt;v2&lt;/b&gt;.pdf" in (sent.caption or "") and "Иван Петров" in (sent.caption or "")

    # Back to the card: the same card, with its documents counted.
    back = await u.click(tp("records-btn-to-card"))
    assert "Иванов Иван Иванович" in back[-1]
    history = (await u.click(tp("records-btn-history")))[-1]
    assert "Прикреплён файл" in history and "Файл: КП &lt;b&gt;v2&lt;/b&gt;.pdf" in history
    assert "Тип: Документ" in history and "Размер: 1,5 КБ" in history


async def test_attach_window_re_asks_on_text_then_takes_a_photo_and_a_voice(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_contact(u, contact)
    await u.click(tp("records-btn-documents", count=0))
    asked = (await u.click(tp("records-btn-attach")))[-1]
    assert "Иванов Иван Иванович" in asked and first_line("records-ask-file", card="x")[:20] in asked
    assert tp("btn-cancel") in u.buttons()

    re_asked = (await u.send("вот договор"))[-1]
    assert first_line("records-file-expected") in re_asked and "Иванов Иван Иванович" in re_asked
    assert await count(sessionmaker, Document) == 0

    replies = await send_photo(u)
    card = t("records-card-contact", name="Иванов Иван Иванович")
    assert replies[0] == t("records-attached", name=tp("records-media-photo"), card=card)
    assert "Фото · 200,0 КБ" in replies[-1]  # back on the list, which shows it
    [photo] = await documents(sessionmaker)
    assert (photo.media, photo.file_name, photo.file_size) == ("photo", None, 204_800)
    assert photo.file_id.startswith("photo-") and not photo.file_id.startswith("photo-small")

    # The attach window is over: text now is not a file.
    await u.click(tp("records-btn-attach"))
    replies = await send_voice(u)
    assert replies[0] == t("records-attached", name=tp("records-media-voice"), card=card)
    voice = (await documents(sessionmaker))[-1]
    assert (voice.media, voice.mime_type, voice.file_size) == ("voice", "audio/ogg", 2_300_000)
    listing = replies[-1]
    assert listing.index("Голосовое сообщение · 2,2 МБ") < listing.index("Фото · 200,0 КБ")  # newest first

    await u.click("🖼 Фото")
    [sent_photo] = harness.calls(SendPhoto)
    assert sent_photo.photo == photo.file_id
    await u.click("🎤 Голосовое")
    [sent_voice] = harness.calls(SendVoice)
    assert sent_voice.voice == voice.file_id


async def test_attach_cancelled_stores_nothing(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await old_button(u, DocsCb(action="attach", entity="contact", id=contact).pack())  # an old card's button
    listing = (await u.click(tp("btn-cancel")))[-1]
    assert first_line("records-documents-empty") in listing
    assert await count(sessionmaker, Document) == 0


async def test_file_without_an_open_card_gets_a_hint_and_nothing_is_stored(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    replies = await u.send_document("КП.pdf")
    assert replies == [t("records-no-open-card")]
    assert await send_photo(u) == replies
    assert await count(sessionmaker, Document) == 0 and await count(sessionmaker, AuditEntry) == 0


async def test_a_file_at_a_form_step_is_not_attached_the_form_asks_for_text(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_contact(u, contact)
    await u.send("/new_contact")
    replies = await u.send_document("КП.pdf")
    assert len(replies) == 1 and t("form-err-text-expected") in replies[0]
    assert await count(sessionmaker, Document) == 0


async def test_menu_closes_the_open_card_so_a_later_file_is_not_attached(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_contact(u, contact)
    await u.send("/menu")
    assert await u.send_document("КП.pdf") == [t("records-no-open-card")]
    assert await documents(sessionmaker) == []


async def test_r1c_file_for_a_lead_the_manager_may_no_longer_act_on_is_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    member = await make_user(sessionmaker, MEMBER, full_name="Менеджер Олег")
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    chief = harness.user(TEAM_LEAD)
    await old_button(chief, DocsCb(action="attach", entity="lead", id=lead).pack())
    # Meanwhile the lead goes to a colleague outside the team lead's reach? No: the team lead may act on
    # the team's leads, so the file is stored; the manager who lost the lead may not.
    assert (await send_photo(chief))[0].startswith("📎")
    u = harness.user(MANAGER)
    await old_button(u, DocsCb(action="attach", entity="lead", id=lead).pack())
    async with writing(sessionmaker) as session:
        await session.execute(update(Lead).where(Lead.id == lead).values(responsible_id=member))
    replies = await u.send_document("КП.pdf")
    assert replies == [t("records-attach-denied-act")]
    assert await count(sessionmaker, Document) == 1
    assert await count(sessionmaker, AuditEntry, AuditEntry.action == "document_attached") == 1


async def test_another_manager_cannot_list_fetch_or_attach_to_an_invisible_record(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    lead = await make_lead(sessionmaker, contact, manager)
    owner = harness.user(MANAGER)
    await old_button(owner, DocsCb(action="attach", entity="lead", id=lead).pack())
    await owner.send_document("Договор.pdf")
    [doc] = await documents(sessionmaker)

    await make_user(sessionmaker, STRANGER, team="Продажи Юг")
    stranger = harness.user(STRANGER)
    await stranger.send("/menu")
    sent_before = len(harness.calls(SendMessage))
    assert await old_button(stranger, DocsCb(action="list", entity="lead", id=lead).pack()) == [DENIED]
    assert await old_button(stranger, DocCb(id=doc.id).pack()) == [DENIED]
    assert await old_button(stranger, DocsCb(action="attach", entity="lead", id=lead).pack()) == [DENIED]
    assert await old_button(stranger, HistoryCb(entity="contact", id=contact).pack()) == [DENIED]
    assert len(harness.calls(SendMessage)) == sent_before and harness.calls(SendDocument) == []
    # Nothing was opened for the stranger: a file goes nowhere.
    assert await stranger.send_document("Чужое.pdf") == [t("records-no-open-card")]
    assert await count(sessionmaker, Document) == 1


async def test_forged_document_id_in_the_list_and_another_chats_button_are_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    mine = await make_contact(sessionmaker, manager)
    other = await make_contact(
        sessionmaker, manager, name="Сидоров Сидор", phone="+79031112233", email="s@mail.ru"
    )
    u = harness.user(MANAGER)
    await open_contact(u, other)
    await u.send_document("Чужой договор.pdf")
    [foreign] = await documents(sessionmaker)
    await open_contact(u, mine)
    await u.send_document("Мой.pdf")
    listing = (await u.click(tp("records-btn-documents", count=1)))[-1]
    assert "Мой.pdf" in listing
    message = harness.message(MANAGER)
    own_button = next(
        b.callback_data for row in message.reply_markup.inline_keyboard for b in row if "Мой.pdf" in b.text
    )  # type: ignore[union-attr]
    assert own_button is not None
    forged = own_button.rsplit(":", 1)[0] + f":{foreign.id}"
    assert await u.press(forged) == [DENIED]
    assert harness.calls(SendDocument) == []

    await make_user(sessionmaker, STRANGER, team="Продажи Юг")
    stranger = harness.user(STRANGER)
    await stranger.send("/menu")
    assert await stranger.press(own_button) == [tp("button-stale")]
    assert harness.calls(SendDocument) == []


async def test_team_lead_attaches_to_a_team_lead_and_the_owner_sees_who_did(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    chief = harness.user(TEAM_LEAD, first_name="Анна", last_name="Руководитель")
    await old_button(chief, DocsCb(action="attach", entity="lead", id=lead).pack())
    replies = await chief.send_document("Счёт.xlsx", size=3_500_000)
    assert replies[0] == t("records-attached", name="Счёт.xlsx", card=t("records-card-lead", name=str(lead)))
    owner = harness.user(MANAGER)
    listing = (await old_button(owner, DocsCb(action="list", entity="lead", id=lead).pack()))[-1]
    assert "Счёт.xlsx · 3,3 МБ · Анна Руководитель" in listing


async def test_english_user_sees_the_documents_window_in_english(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER, language_code="en")
    listing = (await old_button(u, DocsCb(action="list", entity="contact", id=contact).pack()))[-1]
    assert first_line("records-documents-empty", "en") in listing
    assert tp("records-btn-attach", "en") in u.buttons()


async def test_a_file_sent_at_a_lead_card_and_at_a_deal_card_goes_to_that_card(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    lead = await make_lead(sessionmaker, contact, manager)
    deal = await make_deal(sessionmaker, await make_lead(sessionmaker, contact, manager), manager)
    u = harness.user(MANAGER)
    await old_button(u, LeadCb(action="open", id=lead).pack())
    replies = await u.send_document("КП.pdf")
    assert replies[0] == t("records-attached", name="КП.pdf", card=t("records-card-lead", name=str(lead)))
    await u.press(DealCb(action="open", id=deal).pack())
    replies = await send_photo(u)
    assert replies[0] == t(
        "records-attached", name=tp("records-media-photo"), card=t("records-card-deal", name=str(deal))
    )
    assert [(d.entity, d.entity_id) for d in await documents(sessionmaker)] == [
        ("lead", lead),
        ("deal", deal),
    ]
    assert tp("records-btn-documents", count=1) in u.buttons()
