"""«🕘 История» as one timeline per record: every interaction with both parts of its comment, its author and
its verdict (R1d, R1e, R3), merged with the audit entries; a deal's includes its lead's calls, a contact's
and a client's include their leads and deals that the reader may see (R1c). A page always fits one message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.callbacks import HistoryCb
from bot.i18n import Html
from db.base import utcnow
from db.engine import writing
from db.models import Task
from tests.factories import make_client, make_contact, make_deal, make_interaction, make_lead, make_user
from tests.flows.interactions.helpers import AGREED, DISCUSSED, MANAGER, REACHED, reach_kind
from tests.harness import Harness, TgUser, first_line, t, tp
from tests.records import Sessionmaker, add_audit

OTHER_TEAM = 1903
NOW = utcnow()


def entries_of(history: str) -> list[str]:
    """The timeline's entries (blank-line separated blocks after the title and the page line)."""
    return history.split("\n\n")[1:]


def kind_line(kind: str, outcome: str, verdict: str) -> str:
    return t("records-interaction", kind=Html(t(kind)), outcome=Html(t(outcome)), verdict=Html(verdict))


QUALIFYING = kind_line("records-kind-call", "records-outcome-reached", t("records-verdict-qualifying"))


def not_qualifying(why: str) -> str:
    return t("records-verdict-not-qualifying", why=Html(why))


def part_reason(part: str, key: str, **params: object) -> str:
    return t("records-why-part", part=Html(t(f"records-part-{part}")), reason=Html(t(key, **params)))


async def history(u: TgUser, entity: str, entity_id: int) -> str:
    if not u.harness.messages_to(u.telegram_id):
        await u.send("/menu")
    return (await u.press(HistoryCb(entity=entity, id=entity_id).pack()))[-1]


async def test_a_lead_shows_a_logged_call_with_both_parts_its_author_and_verdict_once(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """R1d/R3: the call logged through /log shows what was discussed and agreed in full; its audit entry
    («contact with the client») is not shown a second time. A call with shorthand says why it does not
    count."""
    manager = await make_user(sessionmaker, MANAGER, full_name="Пётр Сидоров")
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    await make_interaction(
        sessionmaker, manager, lead_id=lead, discussed="нд", agreed="перезвонить", qualifying=False,
        occurred_at=NOW - timedelta(days=2),
    )  # fmt: skip
    await make_interaction(
        sessionmaker, manager, lead_id=lead, outcome="not_reached", discussed=None, agreed=None,
        qualifying=False, occurred_at=NOW - timedelta(days=3),
    )  # fmt: skip
    harness.user(MANAGER, first_name="Пётр", last_name="Сидоров")
    u = await reach_kind(harness, lead)
    await u.click(REACHED)
    await u.send(DISCUSSED)
    await u.send(AGREED)
    await u.click(tp("btn-save"))

    text = await history(u, "lead", lead)
    assert first_line("records-history-title-lead", name=str(lead)) in text
    logged, shorthand, missed = entries_of(text)
    assert "Пётр Сидоров" in logged and QUALIFYING in logged
    assert t("records-discussed", text=DISCUSSED) in logged and t("records-agreed", text=AGREED) in logged
    assert t("records-action-interaction") not in text  # the audit entry of the call is not repeated

    reasons = "; ".join(
        (
            part_reason("discussed", "records-why-err-comment-stop-phrase", phrase="нд"),
            part_reason("agreed", "records-why-err-comment-stop-phrase", phrase="перезвонить"),
        )
    )
    why = t("records-why-comment", reasons=Html(reasons))
    verdict = not_qualifying(why)
    assert kind_line("records-kind-call", "records-outcome-reached", verdict) in shorthand
    assert (
        t("records-discussed", text="нд") in shorthand
        and t("records-agreed", text="перезвонить") in shorthand
    )
    missed_verdict = not_qualifying(t("records-why-not_reached"))
    assert kind_line("records-kind-call", "records-outcome-not_reached", missed_verdict) in missed
    assert t("records-discussed", text="x").split(":")[0] not in missed  # no empty comment lines


async def test_a_deal_shows_its_leads_call_from_before_the_deal_and_a_stage_change(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER, full_name="Пётр Сидоров")
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    await make_interaction(
        sessionmaker, manager, lead_id=lead, discussed="Клиент выбирает сканеры для нового склада",
        agreed="Показываем демо на складе во вторник", occurred_at=NOW - timedelta(days=10),
    )  # fmt: skip
    deal = await make_deal(sessionmaker, lead, manager)
    await add_audit(sessionmaker, manager, "deal", deal, "stage_changed",
                    before={"stage_id": 1, "stage": "Первичный контакт"},
                    after={"stage_id": 2, "stage": "Переговоры"})  # fmt: skip
    meeting_id = await make_interaction(
        sessionmaker, manager, deal_id=deal, kind="meeting", outcome="held",
        discussed="Провели демо сканеров, понравилась скорость", agreed="Готовим договор на поставку 20 штук",
    )  # fmt: skip
    due = datetime(2026, 12, 15, 7, 0, tzinfo=UTC)
    async with writing(sessionmaker) as session:
        session.add(Task(title="Отправить <договор>", due_at=due, assignee_id=manager, created_by_id=manager,
                         deal_id=deal, interaction_id=meeting_id))  # fmt: skip
    u = harness.user(MANAGER)
    text = await history(u, "deal", deal)
    assert first_line("records-history-title-deal", name=str(deal)) in text
    meeting, stage, call = entries_of(text)
    assert t("records-kind-meeting") in meeting and t("records-card-lead", name=str(lead)) not in meeting
    assert t("records-agreed", text="Готовим договор на поставку 20 штук") in meeting
    assert t("records-next-step", title="Отправить <договор>", due="15.12.2026 10:00") in meeting  # Moscow
    assert t("records-action-stage_changed") in stage
    assert call.splitlines()[0].endswith(t("records-card-lead", name=str(lead)))  # the lead's, not the deal's
    assert QUALIFYING in call
    assert t("records-discussed", text="Клиент выбирает сканеры для нового склада") in call
    assert t("records-agreed", text="Показываем демо на складе во вторник") in call


async def test_contact_and_client_timelines_gather_their_leads_and_deals_but_not_another_teams(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """R1c: a deal of another team on the same contact leaves no line in the reader's timelines."""
    manager = await make_user(sessionmaker, MANAGER, full_name="Пётр Сидоров")
    stranger = await make_user(sessionmaker, OTHER_TEAM, team="Продажи Юг", full_name="Чужой Менеджер")
    contact = await make_contact(sessionmaker, manager)
    client = await make_client(sessionmaker, manager, contact_ids=(contact,))
    lead = await make_lead(sessionmaker, contact, manager)
    await add_audit(sessionmaker, manager, "lead", lead, "created", after={"status": "open"})
    await make_interaction(
        sessionmaker, manager, lead_id=lead, discussed="Обсудили сканеры для склада клиента",
        agreed="Высылаю прайс на терминалы сбора данных", occurred_at=NOW - timedelta(days=5),
    )  # fmt: skip
    await add_audit(sessionmaker, manager, "contact", contact, "edited",
                    before={"position": "Инженер"}, after={"position": "Директор"})  # fmt: skip
    hidden_lead = await make_lead(sessionmaker, contact, stranger)
    hidden_deal = await make_deal(sessionmaker, hidden_lead, stranger, product_group_id=2)
    await add_audit(sessionmaker, stranger, "deal", hidden_deal, "created", after={"status": "open"})
    await make_interaction(
        sessionmaker, stranger, deal_id=hidden_deal, discussed="Секретная скидка для закупки",
        agreed="Тайная цена до конца месяца, созвон",
    )  # fmt: skip
    await make_interaction(
        sessionmaker, stranger, lead_id=hidden_lead, discussed="Скрытый разговор о закупке",
        agreed="Скрытая договорённость о встрече",
    )  # fmt: skip
    u = harness.user(MANAGER)
    for entity, entity_id in (("contact", contact), ("client", client)):
        text = await history(u, entity, entity_id)
        assert "Высылаю прайс на терминалы сбора данных" in text, entity
        assert t("records-action-created-lead") in text and t("records-card-lead", name=str(lead)) in text
        for secret in ("Секретная", "Тайная", "Скрытый", "Чужой Менеджер", t("records-action-created-deal")):
            assert secret not in text, (entity, secret)
        assert t("records-card-deal", name=str(hidden_deal)) not in text
        assert t("records-card-lead", name=str(hidden_lead)) not in text
    contact_text = await history(u, "contact", contact)
    assert "Должность: Инженер → Директор" in contact_text
    edited = next(e for e in entries_of(contact_text) if t("records-action-edited") in e)
    assert t("records-card-lead", name=str(lead)) not in edited  # the contact's own line names no record

    # The other team's manager sees their deal's lines in the same contact's timeline, and not the lead's.
    other = harness.user(OTHER_TEAM)
    text = await history(other, "contact", contact)
    assert "Секретная скидка для закупки" in text and "Скрытый разговор о закупке" in text
    assert "Высылаю прайс на терминалы сбора данных" not in text


async def test_long_comments_take_fewer_entries_per_page_and_always_fit_one_message(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """Each part of 1,500 characters (the most /log takes) is shown whole: a page holds what fits, the next
    page goes on from there; an older, longer comment is cut with «…» only when it alone would not fit."""
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    parts: list[tuple[str, str]] = []
    for n in range(5):
        discussed = (f"Разговор {n}: обсудили поставку сканеров и терминалов, " * 40)[:1500].strip()
        agreed = (f"Итог {n}: договорились о демо, отправке прайса и звонке, " * 40)[:1500].strip()
        parts.append((discussed, agreed))
        await make_interaction(
            sessionmaker, manager, lead_id=lead, discussed=discussed, agreed=agreed,
            occurred_at=NOW - timedelta(hours=10 - n),
        )  # fmt: skip
    for n in range(12):
        await add_audit(sessionmaker, manager, "lead", lead, "edited", after={"description": f"Запрос {n}"})
    u = harness.user(MANAGER)
    seen: list[str] = []
    text = await history(u, "lead", lead)
    pages = 0
    while True:
        pages += 1
        assert len(text) <= 4096 and len(text.encode("utf-16-le")) // 2 <= 4096
        entries = entries_of(text)
        assert entries
        seen.extend(entries)
        if tp("btn-next") not in u.buttons():
            break
        text = (await u.click(tp("btn-next")))[-1]
    assert len(seen) == 17 and pages > 2
    for discussed, agreed in parts:  # every comment shown whole, once
        assert sum(t("records-discussed", text=discussed) in e for e in seen) == 1
        assert sum(t("records-agreed", text=agreed) in e for e in seen) == 1
    assert "…" not in "".join(seen)
    # Back to the first page: the same entries as the first time.
    while tp("btn-prev") in u.buttons():
        text = (await u.click(tp("btn-prev")))[-1]
    assert entries_of(text) == seen[: len(entries_of(text))]

    # A comment stored before the limits: the entry alone is too long, so its parts are cut.
    other_contact = await make_contact(
        sessionmaker, manager, name="Сидоров Сидор Сидорович", phone="+79123450000", email="old@mail.ru"
    )
    old = await make_lead(sessionmaker, other_contact, manager)
    huge = "Очень длинный старый комментарий о закупке & <скидке> " * 80
    await make_interaction(sessionmaker, manager, lead_id=old, discussed=huge, agreed=huge)
    text = await history(u, "lead", old)
    assert len(text) <= 4096 and "…" in text and t("records-discussed", text="x").split(":")[0] in text


async def test_hostile_comment_text_is_shown_escaped(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    discussed = "Обсудили <b>цену</b> & условия </i> поставки"
    agreed = "Договорились: <i>скидка</b> 5% & доставка"
    await make_interaction(sessionmaker, manager, lead_id=lead, discussed=discussed, agreed=agreed)
    text = await history(harness.user(MANAGER), "lead", lead)
    assert "Обсудили &lt;b&gt;цену&lt;/b&gt; &amp; условия &lt;/i&gt; поставки" in text
    assert "Договорились: &lt;i&gt;скидка&lt;/b&gt; 5% &amp; доставка" in text
    assert "<b>цену" not in text and "<i>скидка" not in text
    assert t("records-discussed", text=discussed) in text


async def test_the_english_reader_sees_the_timeline_in_english(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    await make_interaction(sessionmaker, manager, lead_id=lead, outcome="not_reached", qualifying=False)
    u = harness.user(MANAGER, language_code="en")
    text = await history(u, "lead", lead)
    why = t("records-verdict-not-qualifying", "en", why=Html(t("records-why-not_reached", "en")))
    assert t("records-kind-call", "en") in text and why in text
    assert t("records-discussed", "en", text=DISCUSSED_DEFAULT) in text


DISCUSSED_DEFAULT = "Обсудили потребность склада в сканерах"
