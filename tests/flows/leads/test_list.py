"""/leads: the leads the user may see, open ones first, a page at a time."""

from __future__ import annotations

from sqlalchemy import update

from bot.callbacks import PageCb
from db.models import Lead
from tests.factories import make_contact, make_lead, make_user
from tests.flows.leads.helpers import LEAD_TG, MANAGER, OTHER, Sessionmaker, forged_item, top_dialog
from tests.harness import Harness, t, tp


def numbered(buttons: list[str]) -> list[str]:
    return [b for b in buttons if b.startswith("№")]


async def test_the_list_is_paged_open_first_and_shows_only_visible_leads(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    contact = await make_contact(sessionmaker, manager)
    ids = [await make_lead(sessionmaker, contact, manager) for _ in range(12)]
    foreign = await make_lead(
        sessionmaker,
        await make_contact(sessionmaker, other, phone="+79161112233", email="x@mail.ru", name="Петров Пётр"),
        other,
    )
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Lead).where(Lead.id == ids[-1]).values(status="rejected"))
    u = harness.user(MANAGER)
    assert t("lead-list-title", page=1) in (await u.send(t("menu-leads")))[-1]
    first = numbered(u.buttons())
    assert len(first) == 10 and tp("btn-next") in u.buttons() and tp("btn-prev") not in u.buttons()
    assert first[0].startswith(f"№{ids[-2]} "), "the newest open lead first"
    assert t("lead-list-title", page=2) in (await u.click(tp("btn-next")))[-1]
    second = numbered(u.buttons())
    assert len(second) == 2 and second[-1].startswith(f"№{ids[-1]} ")
    assert tp("lead-status-rejected") in second[-1]
    assert all(not b.startswith(f"№{foreign} ") for b in first + second)
    await u.click(tp("btn-prev"))
    assert numbered(u.buttons()) == first
    await make_user(sessionmaker, LEAD_TG, role="team_lead", team="Продажи Юг")
    tl = harness.user(LEAD_TG)
    await tl.send("/leads")
    assert [b.split(" ")[0] for b in numbered(tl.buttons())] == [f"№{foreign}"]


async def test_an_empty_list_says_how_to_create_a_lead(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    assert t("lead-list-empty") in (await u.send("/leads"))[-1]
    assert numbered(u.buttons()) == []


async def test_a_lead_opens_from_the_list_and_a_forged_item_is_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    foreign = await make_lead(
        sessionmaker,
        await make_contact(sessionmaker, other, phone="+79161112233", email="x@mail.ru", name="Петров Пётр"),
        other,
    )
    u = harness.user(MANAGER)
    await u.send("/leads")
    forged = forged_item(u, f"№{lead} ", foreign)
    assert (await u.press(forged))[-1] == tp("access-denied")
    assert (await top_dialog(u) or ("",))[0] == "LeadList:main"
    assert f"№{lead}" in (await u.click(f"№{lead} "))[-1]
    assert (await top_dialog(u) or ("",))[0] == "LeadCard:main"


async def test_an_older_list_page_button_opens_the_list(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(MANAGER)
    await u.send("/menu")
    assert t("lead-list-title", page=1) in (await u.press(PageCb(kind="leads", page=3).pack()))[-1]
