"""The new-client form (seed 002): name → industry → business region → contact persons → summary → save.

Contact persons are found among the contacts the user may see (typed text searches), or created on the spot
by the contact form as a sub-dialog (``ContactForm.name {"pick": True, "no_client": True}``) that hands the
new contact back. Started at ``contacts`` with ``{"attach_to": client_id}`` (a card's «Добавить контактное
лицо»), the contact chosen is linked to that client at once.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram.types import ContentType, Message
from aiogram_dialog import Data, Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Back, Button, Column, Group, Row, Select, Start, SwitchTo
from aiogram_dialog.widgets.text import Format

from db.repo import client_edits
from db.repo import clients as repo
from db.repo.visibility import may_see_contact
from domain import limits
from domain.errors import Gone, NotAllowed, ValidationError
from domain.registry import ClientName, PartyDealTaken
from handlers.clients import getters
from handlers.clients.getters import CLIENT_STEPS, FORM, start_of, steps_of
from handlers.clients.states import ClientCard, ClientForm
from handlers.contacts.states import ContactForm
from handlers.kit.context import actor_of, record_id, session_of
from handlers.kit.inputs import ERROR_LINE, DomainInput, clear_error, set_error
from handlers.kit.nav import cancel_button, nav
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.text import Tr, TrPlain

log = logging.getLogger(__name__)

STATE_OF = {step: getattr(ClientForm, step) for step in (*CLIENT_STEPS, "responsible", "search", "summary")}
SEARCH_MIN_LENGTH = 2


# --- parsing ---------------------------------------------------------------------------------------------


def parse_name(text: str, manager: DialogManager) -> str:
    name = ClientName.parse(text).value
    if too_long := limits.check_length(name, limits.CLIENT_NAME):
        raise ValidationError("limit-too-long", "name too long", limit=too_long.limit, length=too_long.length)
    return name


def parse_query(text: str, manager: DialogManager) -> str:
    query = " ".join(text.split())
    if len(query) < SEARCH_MIN_LENGTH:
        raise ValidationError("clients-search-too-short", "query too short")
    if too_long := limits.check_length(query, limits.SEARCH_TEXT):
        raise ValidationError(
            "limit-search-too-long", "query too long", limit=too_long.limit, length=too_long.length
        )
    return query


def party_refusal(refusal: PartyDealTaken) -> tuple[str, dict[str, Any]]:
    """The R2i refusal with the deals in the way, by number (no names: they may be another team's)."""
    if not refusal.deal_ids:
        return refusal.key, {}
    return "clients-refused-party-deals", {"deals": ", ".join(f"№{i}" for i in refusal.deal_ids)}


# --- moving through the form ------------------------------------------------------------------------------


def _form(manager: DialogManager) -> dict[str, Any]:
    form = manager.dialog_data.setdefault(FORM, {"contact_ids": []})
    assert isinstance(form, dict)
    return form


async def _next(manager: DialogManager, step: str) -> None:
    """After an answer to ``step``: the summary when editing, else the next step."""
    form, steps = _form(manager), steps_of(manager)
    manager.dialog_data.pop("filter", None)
    index = steps.index(step) + 1 if step in steps else len(steps)
    if form.pop("editing", False) or index >= len(steps):
        await manager.switch_to(ClientForm.summary)
        return
    await manager.switch_to(STATE_OF[steps[index]])


async def on_summary_back(event: Any, widget: Any, manager: DialogManager) -> None:
    await manager.switch_to(STATE_OF[steps_of(manager)[-1]])


async def on_name(message: Message, widget: Any, manager: DialogManager, name: str) -> None:
    _form(manager)["name"] = name
    await _next(manager, "name")


def _step_of(manager: DialogManager) -> str:
    return (manager.current_context().state.state or "").split(":")[-1]


async def _choose(manager: DialogManager, step: str, value_id: int | None) -> None:
    _form(manager)[f"{step}_id"] = value_id
    await _next(manager, step)


async def on_directory(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """Industry or business region: only an active value can be chosen for a new client."""
    step = _step_of(manager)
    value_id = record_id(item_id)
    if value_id not in {i for i, _ in await getters.directory_options(manager, step)}:
        raise Gone("not an active directory value")
    await _choose(manager, step, value_id)


async def on_directory_text(message: Message, widget: Any, manager: DialogManager) -> None:
    """Typed text at a choice searches it: one match is chosen, several narrow the buttons."""
    step, text = _step_of(manager), " ".join((message.text or "").split())
    options = await getters.directory_options(manager, step)
    found = getters.matching(options, text) if options else []
    if len(found) == 1:
        clear_error(manager)
        await _choose(manager, step, found[0][0])
    elif found:
        clear_error(manager)
        manager.dialog_data["filter"] = {"step": step, "text": text}
    else:
        set_error(manager, "clients-choice-none" if options else "clients-use-buttons", query=text)


async def on_responsible(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """A new responsible (team lead or admin only): the id is checked against who may be chosen, here and
    again inside the save."""
    user_id = record_id(item_id)
    if user_id not in {i for i, _ in await getters.responsible_options(manager)}:
        raise NotAllowed("not a user the client may be handed to")
    await _choose(manager, "responsible", user_id)


async def on_skip_directory(event: Any, widget: Any, manager: DialogManager) -> None:
    """Skip is offered only while the directory has no active value."""
    step = _step_of(manager)
    if not await getters.directory_options(manager, step):
        await _choose(manager, step, None)


async def on_find(event: Any, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data.pop("query", None)
    await manager.switch_to(ClientForm.search)


async def on_query(message: Message, widget: Any, manager: DialogManager, query: str) -> None:
    manager.dialog_data["query"] = query
    await manager.switch_to(ClientForm.search)


async def _add_contact(manager: DialogManager, contact_id: int) -> None:
    """A contact chosen or created: linked at once when adding to a card's client, else kept for the form."""
    attach_to = start_of(manager).get("attach_to")
    manager.dialog_data.pop("query", None)
    if attach_to:
        try:
            linked = await repo.link_contact(
                session_of(manager), actor_of(manager), int(attach_to), contact_id
            )
        except PartyDealTaken as refusal:  # R2i: nothing changed; the message names the deals in the way
            key, params = party_refusal(refusal)
            set_error(manager, key, **params)
            return
        if not linked:
            raise NotAllowed("client or contact not visible")
        log.info(
            "contact %s linked to client %s by user %s", contact_id, attach_to, actor_of(manager).user_id
        )
        await manager.done(result={"linked": contact_id})
        return
    form = _form(manager)
    if contact_id not in form["contact_ids"]:
        form["contact_ids"] = [*form["contact_ids"], contact_id]
    await manager.switch_to(ClientForm.contacts)


async def on_pick(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """A found contact: the id came from the client, so the right to see it is checked again."""
    contact_id = record_id(item_id)
    if not await may_see_contact(session_of(manager), actor_of(manager), contact_id):
        raise NotAllowed("contact not visible")
    await _add_contact(manager, contact_id)


async def on_contact_created(start_data: Data, result: Any, manager: DialogManager) -> None:
    """The contact form's result: the new contact joins the client."""
    if isinstance(result, dict) and result.get("contact_id"):
        await _add_contact(manager, int(result["contact_id"]))


async def on_done(event: Any, widget: Any, manager: DialogManager) -> None:
    await _next(manager, "contacts")


async def on_edit(event: Any, widget: Any, manager: DialogManager, field: str) -> None:
    if field not in steps_of(manager):
        return
    _form(manager)["editing"] = True
    await manager.switch_to(STATE_OF[field])


async def _back_to(manager: DialogManager, step: str, error: str) -> None:
    _form(manager)["editing"] = True
    await manager.switch_to(STATE_OF[step])
    set_error(manager, error)


async def _save_edit(manager: DialogManager, client_id: int) -> None:
    """A saved client's new name, industry and region. Industry and region are required while their
    directory has active values; a value kept from before stays valid even if it was deactivated since."""
    form = _form(manager)
    for step in ("industry", "region"):
        chosen = form.get(f"{step}_id")
        if chosen is None and await getters.directory_options(manager, step):
            await _back_to(manager, step, "clients-value-required")
            return
    values = client_edits.ClientValues(
        name=form["name"],
        industry_id=form.get("industry_id"),
        region_id=form.get("region_id"),
        responsible_id=form.get("responsible_id"),
    )
    changed = await client_edits.edit_client(session_of(manager), actor_of(manager), client_id, values)
    log.info("client %s edited by user %s: %d field(s)", client_id, actor_of(manager).user_id, len(changed))
    notice = "clients-edited" if changed else "clients-edit-unchanged"
    await manager.start(
        ClientCard.main, data={"client_id": client_id, "notice": notice}, mode=StartMode.RESET_STACK
    )


async def on_save(event: Any, widget: Any, manager: DialogManager) -> None:
    """Save; a directory value deactivated meanwhile sends the user back to that step."""
    session, actor, form = session_of(manager), actor_of(manager), _form(manager)
    if not form.get("name"):
        await manager.switch_to(ClientForm.name)
        return
    original = form.get("original") or {}
    for step, lookup in (("industry", repo.active_industry), ("region", repo.active_region)):
        chosen = form.get(f"{step}_id")
        if chosen == original.get(f"{step}_id"):
            continue  # kept from the saved client: an old record's value stays valid
        if chosen is not None and await lookup(session, chosen) is None:
            form["editing"] = True
            await manager.switch_to(STATE_OF[step])
            set_error(manager, "clients-value-deactivated")
            return
    if start_of(manager).get("edit"):
        await _save_edit(manager, int(start_of(manager)["edit"]))
        return
    new = repo.NewClient(
        name=form["name"],
        industry_id=form.get("industry_id"),
        region_id=form.get("region_id"),
        contact_ids=tuple(form.get("contact_ids", [])),
    )
    try:
        client = await repo.create_client(session, actor, new)
    except PartyDealTaken as refusal:  # R2i: two chosen contact persons with open deals in one group
        key, params = party_refusal(refusal)
        set_error(manager, key, **params)
        return
    log.info("client %s created by user %s", client.id, actor.user_id)
    if start_of(manager).get("pick"):
        await manager.done(result={"client_id": client.id})
        return
    card = {"client_id": client.id, "notice": "clients-saved"}
    await manager.start(ClientCard.main, data=card, mode=StartMode.RESET_STACK)


async def on_start(start_data: Any, manager: DialogManager) -> None:
    """In pick mode a typed name that is a valid client name is taken, and the form asks the industry."""
    form = _form(manager)
    start = start_data if isinstance(start_data, dict) else {}
    if start.get("edit"):
        client = await client_edits.editable_client(
            session_of(manager), actor_of(manager), int(start["edit"])
        )
        saved = {
            "name": client.name,
            "industry_id": client.industry_id,
            "region_id": client.region_id,
            "responsible_id": client.responsible_id,
        }
        form.update(saved, original=saved, keeper_id=client.created_by_id)
        await manager.switch_to(ClientForm.summary)
        return
    if start.get("pick") and start.get("name"):
        try:
            form["name"] = parse_name(str(start["name"]), manager)
        except ValidationError:
            return
        await manager.switch_to(ClientForm.industry)


# --- windows -----------------------------------------------------------------------------------------------


def _item_id(item: tuple[Any, ...]) -> Any:
    return item[0]


def _directory_step(step: str) -> Window:
    return Window(
        ERROR_LINE,
        Tr(f"clients-ask-{step}", when="has_options"),
        Tr(f"clients-{step}-empty", when="empty"),
        Group(
            Select(
                TrPlain("clients-option", name="item.1"),
                id=step,
                item_id_getter=_item_id,
                items="options",
                on_click=on_directory,
            ),
            width=2,
        ),
        MessageInput(on_directory_text, content_types=ContentType.TEXT),
        NOT_TEXT,
        Row(
            Back(TrPlain("btn-back")),
            Button(TrPlain("btn-skip"), id="skip", on_click=on_skip_directory, when="empty"),
            cancel_button(),
        ),
        getter=getters.directory_getter,
        state=STATE_OF[step],
    )


def form_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("clients-ask-name"),
            DomainInput("name", parse_name, on_success=on_name),
            NOT_TEXT,
            nav(back=False),
            state=ClientForm.name,
        ),
        _directory_step("industry"),
        _directory_step("region"),
        Window(
            ERROR_LINE,
            Tr("clients-ask-attach", name="client_name", when="attach"),
            Tr("clients-ask-contacts", "name", "contacts", when="adding"),
            Column(
                Button(TrPlain("clients-btn-find-contact"), id="find", on_click=on_find),
                Start(
                    TrPlain("clients-btn-new-contact"),
                    id="new_contact",
                    state=ContactForm.name,
                    data={"pick": True, "no_client": True},
                ),
                Button(TrPlain("btn-done"), id="done", on_click=on_done, when="adding"),
            ),
            DomainInput("query", parse_query, on_success=on_query),
            NOT_TEXT,
            Row(Back(TrPlain("btn-back"), when="adding"), cancel_button()),
            getter=getters.contacts_getter,
            state=ClientForm.contacts,
        ),
        Window(
            ERROR_LINE,
            Tr("clients-ask-search", when="asking"),
            Tr("clients-search-none", "query", when="none"),
            Tr("clients-search-found", when="found"),
            Column(
                Select(
                    TrPlain("clients-contact-option", name="item.1", phone="item.2"),
                    id="pick",
                    item_id_getter=_item_id,
                    items="options",
                    on_click=on_pick,
                )
            ),
            DomainInput("search", parse_query, on_success=on_query),
            NOT_TEXT,
            Row(SwitchTo(TrPlain("btn-back"), id="back", state=ClientForm.contacts), cancel_button()),
            getter=getters.search_getter,
            state=ClientForm.search,
        ),
        Window(
            ERROR_LINE,
            Tr("clients-summary", "name", "industry", "region", "contacts", when="with_contacts"),
            Tr("clients-summary-pick", "name", "industry", "region", when="pick"),
            Tr("clients-summary-edit", "name", "industry", "region", "responsible", when="edit"),
            Button(TrPlain("btn-save"), id="save", on_click=on_save),
            Group(
                Select(
                    Format("{item[1]}"),
                    id="edit",
                    item_id_getter=_item_id,
                    items="fields",
                    on_click=on_edit,
                ),
                width=2,
            ),
            Row(Button(TrPlain("btn-back"), id="back", on_click=on_summary_back), cancel_button()),
            use_buttons("clients-use-buttons"),
            getter=getters.summary_getter,
            state=ClientForm.summary,
        ),
        Window(
            ERROR_LINE,
            Tr("clients-ask-responsible"),
            Group(
                Select(
                    TrPlain("clients-option", name="item.1"),
                    id="responsible",
                    item_id_getter=_item_id,
                    items="options",
                    on_click=on_responsible,
                ),
                width=2,
            ),
            use_buttons("clients-use-buttons"),
            Row(SwitchTo(TrPlain("btn-back"), id="back", state=ClientForm.summary), cancel_button()),
            getter=getters.responsible_getter,
            state=ClientForm.responsible,
        ),
        on_start=on_start,
        on_process_result=on_contact_created,
    )
