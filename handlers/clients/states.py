"""The clients dialogs' states: what other features may start (with the start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class ClientForm(StatesGroup):
    """New client. Start at ``name`` with ``{}``.

    Also adding a contact person from a card: start at ``contacts`` with ``{"attach_to": client_id}``; the
    contact found or created is linked at once and the dialog closes.

    Picking a new client for another form (the contact form's «➕ Новый клиент»): start at ``name`` with
    ``{"pick": True, "name": typed}``. A typed text that is a valid client name is taken and the form asks the
    industry and the region (required while their directories have active values); there is no
    contact-persons step, and the save returns ``{"client_id": int}`` instead of opening the card.

    Editing a saved client (the card's «✏️ Изменить»): start at ``summary`` with ``{"edit": client_id}``; who
    may manage the client (R1c) changes its name, industry and region (both required while their directory
    has active values), a team lead or an admin also its responsible; the save opens the card again.
    """

    name = State()
    industry = State()
    region = State()
    contacts = State()
    search = State()
    summary = State()
    responsible = State()


form(ClientForm, "clients-form-title")


class ClientCard(StatesGroup):
    """A client's card. Start data: ``{"client_id": int}`` (``"notice"`` / ``"notice_params"``: a line above
    it, e.g. right after a save)."""

    main = State()


class PartyCard(StatesGroup):
    """A counterparty's card. Start data: ``{"party_id": int}``."""

    main = State()


class ClientList(StatesGroup):
    """The clients the user may see, a page at a time. Start data: ``{}``."""

    main = State()


class ConvertForm(StatesGroup):
    """A client into a counterparty. Start data: ``{"client_id": int, "mode": "convert" | "route"}``:
    with the permission to convert it is created at once, without it the same fields plus an approver and a
    comment go along a route."""

    legal_name = State()
    inn = State()
    kpp = State()
    kind = State()
    approver = State()
    comment = State()
    summary = State()


form(ConvertForm, "clients-conv-form-title")


class RouteView(StatesGroup):
    """A route request shown again to its approver, with «Одобрить» / «Отклонить». ``{"route_id": int}``;
    ``decided`` shows the outcome."""

    request = State()
    decided = State()


class RouteReject(StatesGroup):
    """The approver's reason for rejecting a route. Start data: ``{"route_id": int}``; the result is
    ``{"notice": key, "notice_params": {...}}``: what to tell the approver."""

    reason = State()


form(RouteReject, "clients-reject-form-title")
