"""The day plan's and the outbox view's states."""

from aiogram.fsm.state import State, StatesGroup


class Today(StatesGroup):
    """The day plan (``/today``, «📅 План на день», the morning digest's button). Start data: ``{}``."""

    plan = State()


class Outbox(StatesGroup):
    """Admins: notifications that could not be delivered, with «send again». Start data: ``{}``."""

    main = State()
