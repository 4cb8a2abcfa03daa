"""The stage history (issue 12): every stage change of a deal — its creation (R2d), a change from the card,
won and lost — writes its span in the same transaction; a refused change writes none (R1c, closed deals).
``stage_durations`` reads the days spent at each pipeline stage for the reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb
from db.engine import writing
from db.models import Deal, DealStageSpan, Stage
from db.repo import stage_history
from domain.stats import percentile
from tests.factories import make_user
from tests.flows.deals.helpers import (
    MANAGER,
    OTHER,
    convertible_lead,
    deals,
    insert_deal,
    new_deal,
    stage_id,
)
from tests.harness import Harness, TgUser, t, tp

Span = tuple[int, bool, int | None, int | None]  # stage, still open, entered by, left by


async def stages(sessionmaker: async_sessionmaker[AsyncSession], *codes: str) -> list[int]:
    return [await stage_id(sessionmaker, code) for code in codes]


async def spans(sessionmaker: async_sessionmaker[AsyncSession], deal_id: int) -> list[DealStageSpan]:
    async with sessionmaker() as session:
        return await stage_history.spans_of(session, deal_id)


def shape(found: list[DealStageSpan]) -> list[Span]:
    return [(s.stage_id, s.left_at is None, s.entered_by_id, s.left_by_id) for s in found]


def chained(found: list[DealStageSpan]) -> bool:
    """Each span starts the moment the one before it ended."""
    return all(a.left_at == b.entered_at for a, b in pairwise(found))


def stage_button(harness: Harness, user: TgUser, text: str) -> str:
    markup = harness.messages_to(user.telegram_id)[-1].reply_markup
    assert markup is not None
    data = next(b.callback_data for row in markup.inline_keyboard for b in row if b.text == text)
    assert data is not None
    return data


async def test_creation_stage_change_and_won_each_write_their_span(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    first, nego, won = await stages(sessionmaker, "identification", "negotiation", "won")
    me = setup.manager_id
    assert shape(await spans(sessionmaker, deal.id)) == [(first, True, me, None)]
    assert (await spans(sessionmaker, deal.id))[0].entered_at == deal.created_at

    await manager.click(tp("deal-btn-stage"))
    replies = await manager.click("Переговоры")
    assert t("deal-stage-changed") in replies[-1]
    found = await spans(sessionmaker, deal.id)
    assert shape(found) == [(first, False, me, me), (nego, True, me, None)]
    assert chained(found)

    await manager.click(tp("deal-btn-won"))
    replies = await manager.click(tp("deal-btn-won-confirm"))
    assert t("deal-won-saved") in replies[-1]
    found = await spans(sessionmaker, deal.id)
    assert shape(found) == [(first, False, me, me), (nego, False, me, me), (won, True, me, None)]
    assert chained(found)
    [closed] = await deals(sessionmaker)
    assert found[-1].entered_at == closed.closed_at


async def test_lost_closes_the_span_and_rests_on_the_lost_stage(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    await manager.click(tp("deal-btn-lost"))
    await manager.click("Выбрали конкурента")
    await manager.send("Клиент выбрал поставщика с ценой ниже на 15%")
    replies = await manager.click(tp("deal-btn-lost-confirm"))
    assert t("deal-lost-saved") in replies[-1]
    first, lost = await stages(sessionmaker, "identification", "lost")
    me = setup.manager_id
    found = await spans(sessionmaker, deal.id)
    assert shape(found) == [(first, False, me, me), (lost, True, me, None)]
    assert chained(found)


async def test_won_without_an_outcome_stage_row_leaves_the_history_closed(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    async with writing(sessionmaker) as session:
        await session.execute(delete(Stage).where(Stage.kind == "won"))
    await manager.click(tp("deal-btn-won"))
    await manager.click(tp("deal-btn-won-confirm"))
    first = await stage_id(sessionmaker, "identification")
    me = setup.manager_id
    assert (await deals(sessionmaker))[0].status == "won"
    assert shape(await spans(sessionmaker, deal.id)) == [(first, False, me, me)]


async def test_refused_stage_changes_write_no_span(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """R1c: another manager's forged press; a closed deal: a stage button from before it was won."""
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    await make_user(sessionmaker, OTHER, team="Продажи Юг")
    other = harness.user(OTHER)
    await other.send("/menu")
    assert await other.press(DealCb(action="stage", id=deal.id).pack()) == [tp("access-denied")]
    assert len(await spans(sessionmaker, deal.id)) == 1

    await manager.press(DealCb(action="open", id=deal.id).pack())
    await manager.click(tp("deal-btn-stage"))
    old_button = stage_button(harness, manager, "Переговоры")
    await manager.press(DealCb(action="won", id=deal.id).pack())
    await manager.click(tp("deal-btn-won-confirm"))
    before = shape(await spans(sessionmaker, deal.id))
    replies = await manager.press(old_button)
    assert replies[-1] in (tp("deal-closed"), tp("button-stale"))
    assert shape(await spans(sessionmaker, deal.id)) == before
    assert (await deals(sessionmaker))[0].stage_id == await stage_id(sessionmaker, "won")


NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


async def _durations(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    mine = await convertible_lead(sessionmaker)
    theirs = await convertible_lead(
        sessionmaker, telegram_id=OTHER, full_name="Сидоров Семён", other_contact=True
    )
    deal_a = await insert_deal(sessionmaker, mine)
    deal_b = await insert_deal(sessionmaker, theirs)
    first, proposal, won = await stages(sessionmaker, "identification", "proposal", "won")
    since, until = NOW - 30 * DAY, NOW + 30 * DAY  # the period runs past now: open spans count up to now

    def span(deal_id: int, stage: int, entered: datetime, left: datetime | None) -> DealStageSpan:
        return DealStageSpan(deal_id=deal_id, stage_id=stage, entered_at=entered, left_at=left)

    async with writing(sessionmaker) as session:
        session.add_all(
            [
                span(deal_a, first, NOW - 50 * DAY, NOW - 40 * DAY),  # ended before the period: left out
                span(deal_a, proposal, NOW - 40 * DAY, NOW - 10 * DAY),  # ended in it: 30 days
                span(deal_a, won, NOW - 10 * DAY, None),  # an outcome: left out
                span(deal_b, first, NOW - 20 * DAY, NOW - 5 * DAY - DAY / 2),  # 14.5 days
                span(deal_b, proposal, NOW - 5 * DAY - DAY / 2, None),  # still there: 5.5 days up to now
            ]
        )
    async with sessionmaker() as session:
        everyone = await stage_history.stage_durations(session, since=since, until=until, now=NOW)
        only_mine = await stage_history.stage_durations(
            session, since=since, until=until, now=NOW, scope=Deal.responsible_id == mine.manager_id
        )
        # A period that ended 8 days ago: the open span counts up to its end (it was still there then).
        earlier = await stage_history.stage_durations(session, since=since, until=NOW - 8 * DAY, now=NOW)
    assert everyone == {first: [14.5], proposal: [5.5, 30.0]}
    assert only_mine == {proposal: [30.0]}
    assert earlier == {first: [12.0], proposal: [30.0]}


async def test_stage_durations_count_spans_ended_in_the_period_and_open_ones_up_to_now(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await _durations(sessionmaker)


async def test_stage_durations_on_postgresql(
    pg_sessionmaker: tuple[str, async_sessionmaker[AsyncSession]],
) -> None:
    """The same figures from PostgreSQL's own date arithmetic."""
    await _durations(pg_sessionmaker[1])


async def _ranked(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    lead = await convertible_lead(sessionmaker)
    deal = await insert_deal(sessionmaker, lead)
    first, proposal, negotiation = await stages(sessionmaker, "identification", "proposal", "negotiation")
    since, until = NOW - 60 * DAY, NOW
    lengths = {first: [3.25], proposal: [7.0, 2.5], negotiation: [(n * 7 % 23) + n / 8 for n in range(1, 24)]}
    async with writing(sessionmaker) as session:
        for stage, days in lengths.items():
            for n, length in enumerate(days):
                left = NOW - (n + 1) * timedelta(hours=1)
                session.add(
                    DealStageSpan(deal_id=deal, stage_id=stage, entered_at=left - length * DAY, left_at=left)
                )
    fractions = (0.0, 0.5, 0.9, 1.0)
    async with sessionmaker() as session:
        listed = await stage_history.stage_durations(session, since=since, until=until, now=NOW)
        ranked = await stage_history.stage_days(
            session, since=since, until=until, now=NOW, fractions=fractions
        )
    assert set(ranked) == set(listed) == set(lengths)
    for stage, days in listed.items():
        assert ranked[stage].count == len(days)
        assert ranked[stage].percentiles == {fraction: percentile(days, fraction) for fraction in fractions}
    assert ranked[negotiation].percentiles[0.9] == percentile(lengths[negotiation], 0.9)


async def test_stage_days_ranks_in_sql_exactly_as_the_percentiles_of_the_listed_days(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Issue 12 (stuck deals): the median and 90th percentile ranked by the database equal
    ``domain.stats.percentile`` over the listed days, for one, two and many spans at a stage."""
    await _ranked(sessionmaker)


async def test_stage_days_on_postgresql(
    pg_sessionmaker: tuple[str, async_sessionmaker[AsyncSession]],
) -> None:
    await _ranked(pg_sessionmaker[1])


async def _ranked_every_kind_of_span(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Spans ended in the period (many within one whole day), spans open now, and spans open at the end of
    a past period that ended after it; for the company and for one manager."""
    mine = await convertible_lead(sessionmaker)
    theirs = await convertible_lead(
        sessionmaker, telegram_id=OTHER, full_name="Сидоров Семён", other_contact=True
    )
    deal_a, deal_b = await insert_deal(sessionmaker, mine), await insert_deal(sessionmaker, theirs)
    first, proposal, negotiation = await stages(sessionmaker, "identification", "proposal", "negotiation")
    async with writing(sessionmaker) as session:
        await session.execute(delete(DealStageSpan))
        for n in range(40):  # ended: 40 lengths, most of them within the same two days
            deal, stage = (deal_a, deal_b)[n % 2], (first, negotiation)[n % 3 == 0]
            left = NOW - (n + 1) * timedelta(hours=5)
            length = timedelta(days=1 + (n * 7 % 11) / 10) if n % 5 else timedelta(days=n % 13, minutes=n)
            session.add(DealStageSpan(deal_id=deal, stage_id=stage, entered_at=left - length, left_at=left))
        session.add_all(  # open now (one per deal): as long as they are old
            [
                DealStageSpan(deal_id=deal_a, stage_id=proposal, entered_at=NOW - timedelta(days=9, hours=3)),
                DealStageSpan(deal_id=deal_b, stage_id=proposal, entered_at=NOW - timedelta(days=2, hours=7)),
            ]
        )
    fractions = (0.0, 0.5, 0.9, 1.0)
    for until in (NOW, NOW - 3 * DAY):  # a period ended 3 days ago: the spans open then count up to its end
        for scope in (None, Deal.responsible_id == mine.manager_id):
            async with sessionmaker() as session:
                window = {"since": NOW - 20 * DAY, "until": until, "now": NOW, "scope": scope}
                listed = await stage_history.stage_durations(session, **window)
                ranked = await stage_history.stage_days(session, fractions=fractions, **window)
            assert set(ranked) == set(listed) and len(listed) >= 2, (until, scope)
            for stage, days in listed.items():
                assert ranked[stage].count == len(days)
                assert ranked[stage].percentiles == {f: percentile(days, f) for f in fractions}


async def test_stage_days_equal_the_listed_percentiles_for_every_kind_of_span(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Issue 12 (stuck deals): the day-by-day counting that finds each percentile's spans gives exactly
    ``domain.stats.percentile`` of the listed days, for the company and for one manager."""
    await _ranked_every_kind_of_span(sessionmaker)


async def test_stage_days_for_every_kind_of_span_on_postgresql(
    pg_sessionmaker: tuple[str, async_sessionmaker[AsyncSession]],
) -> None:
    await _ranked_every_kind_of_span(pg_sessionmaker[1])
