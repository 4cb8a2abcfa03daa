"""Editing a saved lead through the form's own windows: source, product group and description, re-validated;
R1c for who may edit (an open lead only); each change audited before → after."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from db.engine import writing
from db.models import AuditEntry, Lead, ProductGroup
from tests.factories import make_contact, make_lead, make_user
from tests.flows.leads.helpers import MANAGER, OTHER, Sessionmaker, get_lead, open_lead
from tests.harness import Harness, t, tp


async def edited(sessionmaker: Sessionmaker, lead_id: int) -> list[AuditEntry]:
    async with sessionmaker() as session:
        query = select(AuditEntry).where(
            AuditEntry.entity == "lead", AuditEntry.entity_id == lead_id, AuditEntry.action == "edited"
        )
        return list(await session.scalars(query))


async def test_source_group_and_description_are_changed_and_audited(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    lead_id = await make_lead(sessionmaker, await make_contact(sessionmaker, me), me)
    before = await get_lead(sessionmaker, lead_id)
    manager = harness.user(MANAGER)
    await open_lead(manager, lead_id)
    summary = (await manager.click(tp("lead-btn-edit-card")))[-1]
    assert t("lead-edit-title") in summary
    labels = [
        tp("lead-btn-edit", field=tp(f"lead-field-{step}")) for step in ("source", "group", "description")
    ]
    assert [label for label in manager.buttons() if label.startswith("✏️")] == labels  # no contact, no owner
    await manager.click(tp("lead-btn-edit", field=tp("lead-field-source")))
    await manager.click("Выставка")
    await manager.click(tp("lead-btn-edit", field=tp("lead-field-group")))
    await manager.click("Услуги")
    await manager.click(tp("lead-btn-edit", field=tp("lead-field-description")))
    reply = (await manager.send("Я"))[-1]  # too short: asked again, nothing kept
    assert "⚠️" in reply
    summary = (await manager.send("Монтаж <b>двух</b> складов"))[-1]
    assert (
        "Выставка" in summary and "Услуги" in summary and "Монтаж &lt;b&gt;двух&lt;/b&gt; складов" in summary
    )
    card = (await manager.click(tp("btn-save")))[-1]
    assert t("lead-edited") in card and "Монтаж &lt;b&gt;двух&lt;/b&gt; складов" in card
    after = await get_lead(sessionmaker, lead_id)
    assert after.description == "Монтаж <b>двух</b> складов" and after.source_id != before.source_id
    assert after.contact_id == before.contact_id and after.responsible_id == before.responsible_id
    [entry] = await edited(sessionmaker, lead_id)
    changes = json.loads(entry.after or "{}")
    assert set(changes) == {"source_id", "product_group_id", "description"}
    assert json.loads(entry.before or "{}")["description"] == before.description


async def test_a_group_switched_off_meanwhile_is_refused_and_nothing_changes(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    lead_id = await make_lead(sessionmaker, await make_contact(sessionmaker, me), me)
    manager = harness.user(MANAGER)
    await open_lead(manager, lead_id)
    await manager.click(tp("lead-btn-edit-card"))
    await manager.click(tp("lead-btn-edit", field=tp("lead-field-group")))
    await manager.click("Услуги")
    async with writing(sessionmaker) as session:
        await session.execute(
            update(ProductGroup).where(ProductGroup.name == "Услуги").values(is_active=False)
        )
    assert await manager.click(tp("btn-save")) == [tp("button-stale")]
    assert (await get_lead(sessionmaker, lead_id)).product_group_id is None
    assert await edited(sessionmaker, lead_id) == []


async def test_only_an_open_lead_of_ones_own_may_be_edited_and_unchanged_is_not_audited(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, OTHER)
    lead_id = await make_lead(sessionmaker, await make_contact(sessionmaker, me), me)
    manager = harness.user(MANAGER)
    await open_lead(manager, lead_id)
    await manager.click(tp("lead-btn-edit-card"))
    card = (await manager.click(tp("btn-save")))[-1]
    assert t("lead-edit-unchanged") in card and await edited(sessionmaker, lead_id) == []
    async with writing(sessionmaker) as session:
        await session.execute(update(Lead).where(Lead.id == lead_id).values(status="rejected"))
    await open_lead(manager, lead_id)
    assert tp("lead-btn-edit-card") not in manager.buttons()  # a closed lead shows no edit button
    other = harness.user(OTHER)
    await other.send("/leads")
    assert not any(f"№{lead_id} " in label for label in other.buttons())  # R1c: not even visible
