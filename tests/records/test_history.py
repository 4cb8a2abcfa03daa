"""«🕘 История» on every card: the audit table as a timeline, each entry with its author and time."""

from __future__ import annotations

from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.callbacks import LeadCb
from db.models import AuditEntry, Client, Contact, Counterparty, Lead
from handlers.legacy.clients import ClientCb
from handlers.legacy.records import HistoryCb
from tests.factories import make_contact, make_lead, make_user
from tests.flows.contacts.helpers import reach
from tests.flows.deals.helpers import MANAGER as DEAL_MANAGER
from tests.flows.deals.helpers import convertible_lead, deals, new_deal
from tests.harness import Harness, TgUser
from tests.records import DENIED, Sessionmaker, add_audit, count
from tests.registry import make_client, make_deal, open_client
from tests.registry.test_routes import send_route

MANAGER, TEAM_LEAD, MEMBER, STRANGER = 901, 902, 903, 904
DISCUSSED = "Обсудили поставку 20 сканеров, клиенту важна цена"
AGREED = "Отправляю коммерческое предложение до пятницы, созвон в понедельник"


def entries_of(history: str) -> list[str]:
    """The timeline's entries (blank-line separated blocks after the title and the page line)."""
    return history.split("\n\n")[1:]


async def test_lead_history_shows_creation_interaction_reassignment_and_rejection_with_authors(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    await make_user(sessionmaker, MEMBER, full_name="Менеджер Олег")
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER, first_name="Пётр", last_name="Сидоров")
    await u.send("/new_lead")
    await u.click("Найти")
    await u.send("Иванов")
    await u.click("Иванов Иван")
    await u.click("Сайт")
    await u.click("Оборудование")
    await u.send("Нужны сканеры для склада")
    await u.click("Сохранить")
    async with sessionmaker() as session:
        lead_id = await session.scalar(select(Lead.id))
    assert lead_id is not None

    # An interaction through /log (R1d: qualifying), with a next step.
    await u.send("/log")
    await u.click("Мои открытые лиды")
    await u.click(f"№{lead_id} ")
    await u.click("Звонок")
    await u.click("Дозвонился")
    await u.send(DISCUSSED)
    await u.send(AGREED)
    await u.send("завтра в 15:00")
    await u.click("Сохранить")

    # The team lead reassigns it, then rejects it.
    chief = harness.user(TEAM_LEAD, first_name="Анна", last_name="Руководитель")
    await chief.send("/leads")
    await chief.click(f"№{lead_id}")
    await chief.click("Переназначить")
    await chief.click("Менеджер Олег")
    await chief.click("Отказ")
    await chief.send("Клиент купил у конкурента")

    replies = await chief.click("История")
    history = replies[-1]
    assert f"История лида №{lead_id}" in history and "Страница 1 из 1" in history
    rejected, reassigned, interaction, created = entries_of(history)  # newest first
    assert "Лид отклонён" in rejected and "Анна Руководитель" in rejected
    assert "Статус: Открыт → Отклонён" in rejected
    assert "Сменился ответственный" in reassigned and "Анна Руководитель" in reassigned
    assert "Ответственный: Пётр Сидоров → Менеджер Олег" in reassigned
    assert "Контакт с клиентом" in interaction and "Пётр Сидоров" in interaction
    for line in ("Вид: Звонок", "Результат: Дозвонился, поговорили", "Результативный: да", f"«{AGREED}»"):
        assert line in interaction
    assert "Лид создан" in created and "Пётр Сидоров" in created
    for line in ("Контакт: Иванов Иван Иванович", "Источник: Сайт", "Группа продуктов: Оборудование"):
        assert line in created
    assert "Назад к карточке" in " ".join(chief.buttons())
    back = await chief.click("Назад к карточке")
    assert f"№{lead_id}" in back[-1]


async def test_deal_and_its_lead_history_show_creation_stage_change_and_conversion(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    setup = await convertible_lead(sessionmaker)
    u = harness.user(DEAL_MANAGER)
    await new_deal(harness, u)
    [deal] = await deals(sessionmaker)
    await u.click("Сменить этап")
    await u.click("Переговоры")
    history = (await u.click("История"))[-1]
    stage, created = entries_of(history)
    assert f"История сделки №{deal.id}" in history
    assert "Этап изменён" in stage and "Этап: Выявление потребности → Переговоры" in stage
    assert "Иван Петров" in stage and "Иван Петров" in created
    assert "Сделка создана" in created and f"Лид: №{setup.lead_id}" in created
    assert "Группа продуктов: Оборудование" in created

    history = (await u.press(HistoryCb(entity="lead", id=setup.lead_id).pack()))[-1]
    [converted] = entries_of(history)  # the factory lead has no "created" entry
    assert "Лид конвертирован в сделку" in converted and "Иван Петров" in converted
    assert "Статус: Открыт → Конвертирован в сделку" in converted and f"Сделка: №{deal.id}" in converted


async def test_contact_history_shows_creation_and_edits_escaped(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER, first_name="Пётр", last_name="Сидоров")
    await reach(u, "summary")
    await u.click("Сохранить")
    async with sessionmaker() as session:
        contact_id = await session.scalar(select(Contact.id))
    assert contact_id is not None
    await add_audit(
        sessionmaker, manager, "contact", contact_id, "edited",
        before={"position": "Инженер", "nickname": None},
        after={"position": "<b>Главный</b> & Co", "nickname": "<i>Петя</i>"},
    )  # fmt: skip
    await u.send("/contacts")
    await u.click("Петров Пётр")
    assert "🕘 История" in u.buttons()
    history = (await u.click("История"))[-1]
    edited, created = entries_of(history)
    assert "Изменены данные" in edited and "Пётр Сидоров" in edited
    assert "Должность: Инженер → &lt;b&gt;Главный&lt;/b&gt; &amp; Co" in edited
    assert "nickname: — → &lt;i&gt;Петя&lt;/i&gt;" in edited  # no label: the raw key
    assert "Контакт создан" in created and "Пётр Сидоров" in created
    for line in ("ФИО: Петров Пётр Петрович", "Телефон: +7 916 123-45-67", "Дата рождения: 12.07.1990"):
        assert line in created
    assert "Ответственный: Пётр Сидоров" in created


async def test_client_and_counterparty_history_show_route_steps_with_their_authors(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    client, u, chief = await send_route(harness, sessionmaker)
    await chief.click("Отклонить")
    await chief.send("<b>Нет</b> договора & печати")
    await resend_route(u, client)
    await open_client(u, client)
    await u.click("Отозвать маршрут")
    await resend_route(u, client)
    await chief.click("Одобрить")

    await open_client(u, client)
    history = (await u.click("История"))[-1]
    assert "История клиента «&lt;b&gt;ООО&lt;/b&gt; &amp; Co»" in history
    approved, requested3, withdrawn, requested2, rejected, requested1 = entries_of(history)
    assert "Маршрут: одобрен" in approved and "Ольга Руководитель" in approved
    assert "Контрагент: ООО «Ко»" in approved
    for requested in (requested1, requested2, requested3):
        assert "Маршрут: отправлен на согласование" in requested and "Пётр Сидоров" in requested
        assert "Согласующий: Ольга Руководитель" in requested and "ИНН: 7707083893" in requested
    assert "Маршрут: отозван" in withdrawn and "Пётр Сидоров" in withdrawn
    assert "Маршрут: отклонён" in rejected and "Ольга Руководитель" in rejected
    assert "Причина: &lt;b&gt;Нет&lt;/b&gt; договора &amp; печати" in rejected

    # The counterparty card, opened from the client card, has its own history.
    card = (await u.click("Карточка контрагента"))[-1]
    assert "Контрагент ООО «Ко»" in card and "ИНН: 7707083893" in card and "Вид: Партнёр" in card
    assert {"🕘 История", "📎 Документы (0)", "📎 Прикрепить"} <= set(u.buttons())
    [created] = entries_of((await u.click("История"))[-1])
    assert "Контрагент создан" in created and "Ольга Руководитель" in created
    assert "Юридическое наименование: ООО «Ко»" in created and "Вид: Партнёр" in created
    back = await u.click("Назад к карточке")
    assert "ИНН: 7707083893" in back[-1]
    assert "&lt;b&gt;ООО&lt;/b&gt; &amp; Co" in (await u.click("Клиент «"))[-1]


async def resend_route(u: TgUser, client: int) -> None:
    await open_client(u, client)
    await u.click("Отправить по маршруту")
    await u.send("ООО «Ко»")
    await u.send("7707083893")
    await u.click("Пропустить")
    await u.click("Партнёр")
    await u.click("Ольга Руководитель")
    await u.send("Клиент готов подписать договор")
    replies = await u.click("Отправить на согласование")
    assert any("Отправлено на согласование" in r for r in replies)


async def test_history_pages_ten_entries_newest_first_and_unknown_actions_render(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER, full_name="Мария Менеджер")
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    for n in range(1, 26):
        await add_audit(sessionmaker, manager, "lead", lead, "note_added", after={"n": n})
    u = harness.user(MANAGER, first_name="Мария", last_name="Менеджер")
    await u.send("/menu")
    await u.press(LeadCb(action="open", id=lead).pack())
    first = (await u.click("История"))[-1]
    assert "Страница 1 из 3" in first and "Далее »" in u.buttons() and "« Назад" not in u.buttons()
    items = entries_of(first)
    assert len(items) == 10 and "n: 25" in items[0] and "n: 16" in items[-1]
    assert all("Действие «note_added»" in item and "Мария Менеджер" in item for item in items)
    second = (await u.click("Далее »"))[-1]
    assert "Страница 2 из 3" in second and {"« Назад", "Далее »"} <= set(u.buttons())
    assert [i.splitlines()[-1] for i in entries_of(second)] == [f"• n: {n}" for n in range(15, 5, -1)]
    third = (await u.click("Далее »"))[-1]
    assert "Страница 3 из 3" in third and "Далее »" not in u.buttons()
    assert [i.splitlines()[-1] for i in entries_of(third)] == [f"• n: {n}" for n in range(5, 0, -1)]
    assert "Страница 2 из 3" in (await u.click("« Назад"))[-1]


async def test_forged_history_of_an_invisible_record_is_refused_and_shows_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    owner = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, owner)
    lead = await make_lead(sessionmaker, contact, owner)
    deal = await make_deal(sessionmaker, lead)
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
    ):
        replies = await stranger.press(HistoryCb(entity=entity, id=entity_id).pack())
        assert replies == [DENIED], entity
    assert len(harness.calls(SendMessage)) == sent_before
    assert await count(sessionmaker, AuditEntry) == 4
    # A stale entity code or a record that is gone: "the button is out of date".
    assert "устарела" in (await stranger.press(HistoryCb(entity="user", id=owner).pack()))[-1]
    async with sessionmaker() as session:
        assert await session.get(Client, client) is not None
    # The counterparty card itself is refused too.
    assert (await stranger.press(ClientCb(action="party", id=party_id).pack()))[-1].startswith("Нет доступа")


async def test_client_history_shows_conversion_and_the_lost_mark(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    chief = await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, chief, "Ромашка")
    u = harness.user(TEAM_LEAD, first_name="Анна", last_name="Руководитель")
    await open_client(u, client)
    await u.click("Отметить потерянным")
    await u.click("В контрагенты")
    await u.click("Оставить")
    await u.send("7707 083 893")
    await u.click("Пропустить")
    await u.click("Покупатель")
    await u.click("Создать контрагента")
    history = (await u.click("История"))[-1]
    converted, lost = entries_of(history)
    assert "Клиент переведён в контрагенты" in converted and "Анна Руководитель" in converted
    assert "Контрагент: Ромашка" in converted
    assert "Изменены данные" in lost and "Отмечен потерянным: нет → да" in lost
    assert "Анна Руководитель" in lost
