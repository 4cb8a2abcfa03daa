"""The contacts dialogs' states: what other features may start (with the start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class ContactForm(StatesGroup):
    """New contact (R4, R5). Start at ``name`` with ``{}``.

    - ``{"pick": True}``: a sub-dialog that returns ``{"contact_id": int}`` instead of opening the card;
    - ``{"pick": True, "no_client": True}``: also no client step (the caller links the contact itself);
    - ``{"prefill": {"name": {...}, "phone": "+7..."}}``: begins with a shared Telegram contact card.

    The optional ``client`` step: typed text searches the clients the user may see (a match is a button);
    «➕ Новый клиент» starts ``ClientForm.name {"pick": True, "name": typed}``, whose ``{"client_id": int}``
    becomes the contact's client. The save re-checks that the user may see the client (R1c).
    """

    name = State()
    phone = State()
    birth_date = State()
    email = State()
    position = State()
    client = State()
    summary = State()
    duplicate = State()


form(ContactForm, "contact-form-title")


class ContactCard(StatesGroup):
    """A contact's card. Start data: ``{"contact_id": int}`` (``"saved": True`` right after the form)."""

    main = State()


class ContactList(StatesGroup):
    """The manager's contacts, a page at a time. Start data: ``{}``."""

    main = State()
