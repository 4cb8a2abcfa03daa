"""Import jobs (issue 13): every row goes through the contact form's rules (R4, R5) in the preview, the new
rows are written in batches, a run resumes after a stop, and an import is undone within 24 hours."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from db.models import AuditEntry, Client, Contact, User
from db.models.imports import ImportJob, ImportRow
from db.repo import import_runs
from db.repo import imports as imports_repo
from db.repo.import_runs import resume_all, run
from db.repo.import_undo import undo
from db.repo.imports import Preview, SourceRow, preview
from domain.errors import NotAllowed
from domain.imports import UndoExpired
from tests.factories import make_client, make_contact, make_lead, make_team, make_user
from tests.flows.imports.helpers import HEADERS, actor, actor_of, contact_count, many_rows, new_job, row

Maker = async_sessionmaker[AsyncSession]


async def verdicts(sessionmaker: Maker, job_id: int) -> dict[int, tuple[str, dict[str, object]]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(ImportRow.row_no, ImportRow.verdict, ImportRow.note).where(ImportRow.job_id == job_id)
        )
        return {no: (verdict, json.loads(note) if note else {}) for no, verdict, note in rows}


async def checked(
    sessionmaker: Maker, settings: Settings, who_id: int, rows: list[SourceRow]
) -> tuple[int, Preview]:
    who = await actor_of(sessionmaker, who_id)
    job_id = await new_job(sessionmaker, who, rows)
    async with sessionmaker() as session:
        result = await preview(session, job_id, settings=settings, actor=who)
    return job_id, result


async def test_valid_rows_are_previewed_then_created(sessionmaker: Maker, settings: Settings) -> None:
    """R4a: valid rows become contacts of the importer, with a new client in its industry and region; nothing
    is written before the run."""
    lead_id = await make_user(sessionmaker, 700_001, role="team_lead", full_name="Руководитель Главный")
    rows = [
        row(
            "Иванов Иван Иванович",
            "+7 912 345-67-89",
            "25.03.1985",
            "ivanov@mail.ru",
            "ООО Полёт",
            "строительство",
            "Центральный",
        ),
        row("петрова анна", "8 913 111 22 33", "1990-01-02", "anna@mail.ru"),
    ]
    job_id, result = await checked(sessionmaker, settings, lead_id, rows)
    assert (result.new, result.duplicates, result.invalid) == (2, 0, 0)
    assert await contact_count(sessionmaker) == 0
    summary = await run(sessionmaker, job_id, settings=settings)
    assert (summary.status, summary.created, summary.duplicates, summary.invalid) == ("done", 2, 0, 0)
    async with sessionmaker() as session:
        contacts = list(await session.scalars(select(Contact).order_by(Contact.id)))
        assert [c.full_name for c in contacts] == ["Иванов Иван Иванович", "Петрова Анна"]
        assert {c.responsible_id for c in contacts} == {lead_id}
        client = await session.get(Client, contacts[0].client_id)
        assert client is not None and client.name == "ООО Полёт"
        assert client.industry_id is not None and client.region_id is not None
        assert contacts[1].phone == "+79131112233"


@pytest.mark.parametrize(
    ("phone", "email", "key"),
    [
        ("+7 495 123-45-67", "ivanov@mail.ru", "err-phone-not-mobile"),  # R4a: a landline
        ("+7 912 345-67-89", "ivanov@fieldcrm.ru", "err-email-company-domain"),  # R4b: a company address
        ("", "ivanov@mail.ru", "err-phone-empty"),  # R4a: required
        ("+7 912 345-67-89", "not-an-address", "err-email-invalid"),
    ],
)
async def test_rows_are_refused_with_the_forms_reason(
    sessionmaker: Maker, settings: Settings, phone: str, email: str, key: str
) -> None:
    """R4a/R4b: a landline or a company e-mail is refused with the very key the contact form shows."""
    user_id = await make_user(sessionmaker, 700_002, role="team_lead")
    job_id, result = await checked(sessionmaker, settings, user_id, [row("Иванов Иван", phone, email=email)])
    assert (result.new, result.invalid) == (0, 1)
    assert result.samples["invalid"][0].key == key
    assert (await verdicts(sessionmaker, job_id))[1] == (
        "invalid",
        {
            "key": key,
            "params": pytest.approx({}) if key != "err-email-company-domain" else {"domain": "fieldcrm.ru"},
        },
    )
    assert (await run(sessionmaker, job_id, settings=settings)).created == 0
    assert await contact_count(sessionmaker) == 0


async def test_an_employees_phone_is_refused(sessionmaker: Maker, settings: Settings) -> None:
    """R4b: a user's own work phone never goes into a client's contact."""
    user_id = await make_user(sessionmaker, 700_003, role="team_lead")
    async with sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == user_id).values(work_phone="+79123456789"))
    _, result = await checked(sessionmaker, settings, user_id, [row("Иванов Иван", "89123456789")])
    assert result.samples["invalid"][0].key == "err-phone-employee"


async def test_duplicates_of_saved_contacts_and_of_earlier_rows_name_the_pair(
    sessionmaker: Maker, settings: Settings
) -> None:
    """R5a: a row sharing name and phone with a saved contact is its duplicate; a row sharing phone and e-mail
    with an earlier row of the file is that row's duplicate."""
    user_id = await make_user(sessionmaker, 700_004, role="team_lead")
    saved = await make_contact(sessionmaker, user_id, name="Иванов Иван", phone="+79123456789")
    rows = [
        row("Иванов Иван", "+7 912 345-67-89", "01.01.1970", "other@mail.ru"),
        row("Петров Пётр", "+7 913 000-00-01", "02.02.1980", "petrov@mail.ru"),
        row("Сидоров Олег", "+7 913 000-00-02", "03.03.1981", "sidorov@mail.ru"),
        row("Петров Павел", "+7 913 000-00-01", "04.04.1982", "petrov@mail.ru"),
    ]
    job_id, result = await checked(sessionmaker, settings, user_id, rows)
    assert (result.new, result.duplicates, result.invalid) == (2, 2, 0)
    found = await verdicts(sessionmaker, job_id)
    assert found[1] == (
        "duplicate",
        {"key": "import-duplicate-contact", "params": {"pair": "name+phone", "contact": saved}},
    )
    assert found[4] == (
        "duplicate",
        {"key": "import-duplicate-row", "params": {"pair": "phone+email", "row": 2}},
    )
    assert (await run(sessionmaker, job_id, settings=settings)).created == 2
    assert await contact_count(sessionmaker) == 3


async def test_a_client_is_joined_only_among_the_visible_ones(
    sessionmaker: Maker, settings: Settings
) -> None:
    """SPEC Access: a row's client is the importer's visible client of that name; a client of the same name
    the importer cannot see is neither joined nor changed, a new one is created."""
    north = await make_team(sessionmaker, "Продажи Север")
    lead_id = await make_user(sessionmaker, 700_005, role="team_lead", team="Продажи Север")
    other = await make_user(sessionmaker, 700_006, team="Продажи Юг", full_name="Чужой Менеджер")
    mine = await make_client(sessionmaker, lead_id, "ООО Ромашка")
    hidden = await make_client(sessionmaker, other, "ООО Василёк")
    rows = [
        row("Иванов Иван", "+7 912 345-67-89", client="ооо  ромашка"),
        row("Петров Пётр", "+7 913 000-00-01", email="p@mail.ru", client="ООО Василек"),
        row("Сидоров Олег", "+7 913 000-00-02", email="s@mail.ru", client="ООО Василек"),
    ]
    job_id, _ = await checked(sessionmaker, settings, lead_id, rows)
    assert (await actor_of(sessionmaker, lead_id)).team_id == north
    await run(sessionmaker, job_id, settings=settings)
    async with sessionmaker() as session:
        contacts = list(await session.scalars(select(Contact).order_by(Contact.id)))
        assert contacts[0].client_id == mine
        assert contacts[1].client_id not in (None, hidden, mine)
        assert contacts[2].client_id == contacts[1].client_id  # one new client for both rows
        created = await session.get(Client, contacts[1].client_id)
        assert created is not None and created.responsible_id == lead_id


async def test_unknown_directory_values_and_responsibles_refuse_the_row(
    sessionmaker: Maker, settings: Settings
) -> None:
    """A name the directory or the team does not hold refuses the row with a clear reason."""
    lead_id = await make_user(sessionmaker, 700_007, role="team_lead")
    await make_user(sessionmaker, 700_008, team="Продажи Север", full_name="Орлов Олег")
    await make_user(sessionmaker, 700_009, team="Продажи Юг", full_name="Чужой Менеджер")
    rows = [
        row("Иванов Иван", "+7 912 345-67-89", client="ООО А", industry="Космос"),
        row("Петров Пётр", "+7 913 000-00-01", email="p@mail.ru", client="ООО Б", region="Марс"),
        row("Сидоров Олег", "+7 913 000-00-02", email="s@mail.ru", responsible="Чужой Менеджер"),
        row("Смирнов Павел", "+7 913 000-00-03", email="m@mail.ru", responsible="олег орлов"),
    ]
    job_id, result = await checked(sessionmaker, settings, lead_id, rows)
    keys = [sample.key for sample in result.samples["invalid"]]
    assert keys == [
        "import-err-industry-unknown",
        "import-err-region-unknown",
        "import-err-responsible-unknown",
    ]
    await run(sessionmaker, job_id, settings=settings)
    async with sessionmaker() as session:
        contact = await session.scalar(select(Contact))
        owner = await session.get(User, contact.responsible_id) if contact else None
        assert owner is not None and owner.full_name == "Орлов Олег"


async def test_a_duplicate_saved_between_preview_and_run_is_reported(
    sessionmaker: Maker, settings: Settings
) -> None:
    """R5: a contact saved after the preview makes its row a duplicate at write time, naming the pair; the
    other rows are written."""
    user_id = await make_user(sessionmaker, 700_010, role="team_lead")
    rows = many_rows(3)
    job_id, _ = await checked(sessionmaker, settings, user_id, rows)
    fields = rows[1].fields
    saved = await make_contact(sessionmaker, user_id, name=fields["full_name"], phone="+79120000001")
    summary = await run(sessionmaker, job_id, settings=settings)
    assert (summary.created, summary.duplicates) == (2, 1)
    assert (await verdicts(sessionmaker, job_id))[2] == (
        "duplicate",
        {"key": "import-duplicate-contact", "params": {"pair": "name+phone", "contact": saved}},
    )


async def test_a_row_the_database_refuses_does_not_stop_the_batch(
    sessionmaker: Maker, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R5c: when the unique index refuses a row (the lookup missed a concurrent save), that row alone is a
    duplicate; its savepoint rolls back and the batch goes on."""
    user_id = await make_user(sessionmaker, 700_011, role="team_lead")
    rows = many_rows(3)
    job_id, _ = await checked(sessionmaker, settings, user_id, rows)
    await make_contact(sessionmaker, user_id, name=rows[1].fields["full_name"], phone="+79120000001")

    async def nothing_found(session: AsyncSession, keys: object) -> dict[str, dict[str, int]]:
        return {}

    monkeypatch.setattr(import_runs, "saved_keys", nothing_found)
    summary = await run(sessionmaker, job_id, settings=settings)
    assert (summary.created, summary.duplicates, summary.failed) == (2, 1, 0)
    assert await contact_count(sessionmaker) == 3


async def test_an_interrupted_run_resumes_without_writing_a_row_twice(
    sessionmaker: Maker, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run stopped after some batches (as by a kill) is left ``running``; start-up resumes it and the
    importer is told; every row is written exactly once."""
    monkeypatch.setattr(import_runs, "BATCH", 2)
    user_id = await make_user(sessionmaker, 700_012, role="team_lead")
    job_id, _ = await checked(sessionmaker, settings, user_id, many_rows(5))
    progress: list[tuple[int, int]] = []

    async def on_progress(done: int, total: int) -> None:
        progress.append((done, total))

    half = await run(sessionmaker, job_id, settings=settings, on_progress=on_progress, limit_batches=1)
    assert (half.status, half.created, half.pending) == ("running", 2, 3)
    assert progress == [(2, 5)]
    told = []

    async def notify(job: ImportJob, summary: import_runs.Summary) -> None:
        told.append((job.id, summary.status, summary.created))

    await resume_all(sessionmaker, settings, notify)
    assert told == [(job_id, "done", 5)]
    assert await contact_count(sessionmaker) == 5
    again = await run(sessionmaker, job_id, settings=settings)
    assert (again.created, again.pending) == (5, 0)
    assert await contact_count(sessionmaker) == 5


async def test_a_failing_progress_callback_leaves_a_resumable_job(
    sessionmaker: Maker, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_runs, "BATCH", 2)
    user_id = await make_user(sessionmaker, 700_013, role="team_lead")
    job_id, _ = await checked(sessionmaker, settings, user_id, many_rows(5))

    async def broken(done: int, total: int) -> None:
        raise RuntimeError("telegram is down")

    with pytest.raises(RuntimeError):
        await run(sessionmaker, job_id, settings=settings, on_progress=broken)
    assert await contact_count(sessionmaker) == 2
    summary = await run(sessionmaker, job_id, settings=settings)
    assert (summary.status, summary.created) == ("done", 5)
    assert await contact_count(sessionmaker) == 5


async def test_undo_removes_untouched_records_and_keeps_touched_ones(
    sessionmaker: Maker, settings: Settings
) -> None:
    """An import is undone within 24 hours, only for what nobody touched: a contact with a lead stays, and so
    does its client."""
    user_id = await make_user(sessionmaker, 700_014, role="team_lead")
    stranger = await make_user(sessionmaker, 700_015, team="Продажи Юг")
    rows = many_rows(3)
    rows[0].fields["client"] = "ООО Новый"
    rows[1].fields["client"] = "ООО Второй"
    job_id, _ = await checked(sessionmaker, settings, user_id, rows)
    await run(sessionmaker, job_id, settings=settings)
    async with sessionmaker() as session:
        contacts = list(await session.scalars(select(Contact).order_by(Contact.id)))
        job = await session.get(ImportJob, job_id)
        assert job is not None and job.finished_at is not None
        finished = job.finished_at
    await make_lead(sessionmaker, contacts[0].id, user_id)
    who = await actor_of(sessionmaker, user_id)
    async with sessionmaker() as session:
        with pytest.raises(NotAllowed):
            await undo(session, actor(stranger), job_id, finished + timedelta(hours=1))
    async with sessionmaker() as session:
        undone = await undo(session, who, job_id, finished + timedelta(hours=23))
    assert (undone.removed, undone.kept, undone.clients_removed) == (2, 1, 1)
    async with sessionmaker() as session:
        left = list(await session.scalars(select(Contact.id)))
        assert left == [contacts[0].id]
        names = set(await session.scalars(select(Client.name)))
        assert names == {"ООО Новый"}
    async with sessionmaker() as session:
        with pytest.raises(UndoExpired):  # only once
            await undo(session, who, job_id, finished + timedelta(hours=23))


async def test_undo_after_24_hours_is_refused(sessionmaker: Maker, settings: Settings) -> None:
    user_id = await make_user(sessionmaker, 700_016, role="team_lead")
    job_id, _ = await checked(sessionmaker, settings, user_id, many_rows(2))
    await run(sessionmaker, job_id, settings=settings)
    async with sessionmaker() as session:
        job = await session.get(ImportJob, job_id)
        assert job is not None and job.finished_at is not None
        with pytest.raises(UndoExpired):
            await undo(
                session, await actor_of(sessionmaker, user_id), job_id, job.finished_at + timedelta(hours=25)
            )
    assert await contact_count(sessionmaker) == 2


async def test_two_thousand_rows_are_checked_and_written_in_batches_quickly(
    sessionmaker: Maker, settings: Settings
) -> None:
    user_id = await make_user(sessionmaker, 700_017, role="team_lead")
    rows = many_rows(2000)
    rows.append(row(rows[5].fields["full_name"], rows[5].fields["mobile"], email="again@mail.ru"))
    started = time.perf_counter()
    job_id, result = await checked(sessionmaker, settings, user_id, rows)
    assert (result.new, result.duplicates) == (2000, 1)
    calls: list[tuple[int, int]] = []

    async def on_progress(done: int, total: int) -> None:
        calls.append((done, total))

    summary = await run(sessionmaker, job_id, settings=settings, on_progress=on_progress)
    elapsed = time.perf_counter() - started
    assert summary.created == 2000 and await contact_count(sessionmaker) == 2000
    assert len(calls) == -(-2000 // import_runs.BATCH) and calls[-1] == (2000, 2000)
    assert elapsed < 10, elapsed


async def test_rows_stored_a_chunk_at_a_time_are_written_with_an_audit_entry_each(
    sessionmaker: Maker, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13 (100k rows): the job takes its rows as a generator and stores them a chunk at a time, in the
    file's order; the run writes them in bulk, each row pointing at its own contact, and every contact gets
    its "created" audit entry naming the job, as the form writes one."""
    monkeypatch.setattr(imports_repo, "STORE_CHUNK", 3)
    monkeypatch.setattr(import_runs, "BATCH", 4)
    user_id = await make_user(sessionmaker, 700_031, role="team_lead")
    who = await actor_of(sessionmaker, user_id)
    rows = many_rows(10)
    async with sessionmaker() as session:
        job_id = await imports_repo.create_job(
            session,
            who,
            filename="base.csv",
            source="csv",
            headers=HEADERS,
            rows=(item for item in rows),
            numbers=list(range(3, 13)),
        )
        result = await preview(session, job_id, settings=settings, actor=who)
    assert result.new == 10 and [sample.row_no for sample in result.samples["new"]] == [3, 4, 5, 6, 7]
    summary = await run(sessionmaker, job_id, settings=settings)
    assert summary.created == 10
    async with sessionmaker() as session:
        written = (
            await session.execute(
                select(ImportRow.row_no, Contact.phone, Contact.id)
                .join(Contact, Contact.id == ImportRow.contact_id)
                .where(ImportRow.job_id == job_id)
                .order_by(ImportRow.row_no)
            )
        ).all()
        entries = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.entity == "contact", AuditEntry.action == "created")
            )
        )
    assert [(no, phone) for no, phone, _ in written] == [
        (number, f"+7912{index:07d}") for index, number in enumerate(range(3, 13))
    ]
    assert sorted(entry.entity_id for entry in entries) == sorted(contact_id for _, _, contact_id in written)
    for entry in entries:
        after = json.loads(entry.after or "{}")
        assert after["import_job"] == job_id and entry.actor_id == user_id
        assert after["phone"] == next(phone for _, phone, cid in written if cid == entry.entity_id)
