"""The conversation layer: entry routers, then every feature's dialogs, then the catch-all.

Order matters:

1. ``common`` (``/cancel``, ``/menu``, ``/help``) first.
2. Entry routers: commands, menu buttons, and buttons on messages outside dialogs (notifications, old cards).
   They come before the dialogs, so a command or a menu button typed in the middle of a form is never taken
   as an answer; ``handlers.kit.launch.open_dialog`` asks before a form is dropped.
3. The dialogs (aiogram-dialog), each in its feature package ``handlers/<feature>/``.
4. Routers for what no dialog window took (a contact card sent outside a form), then ``fallback``: stray
   text, and any button no other router took, answered as out of date.

Every plain router's buttons go through :class:`handlers.guards.ButtonGuard`: a button on an inaccessible or
inline message gets the out-of-date alert. Refusals (``domain.errors``) are answered in ``bot.errors``.

A feature package provides ``create_router()`` and ``dialogs()`` (and optionally ``after_dialogs()``).
"""

from __future__ import annotations

from aiogram import Router

from handlers import (
    admin,
    clients,
    common,
    contacts,
    deals,
    directories,
    exports,
    fallback,
    imports,
    interactions,
    leads,
    preferences,
    records,
    reports,
    search,
    start,
    tasks,
    team_admin,
    today,
)
from handlers.guards import ButtonGuard
from handlers.kit.launch import leave_dialog

WITHOUT_MESSAGE = frozenset({"common", "today"})

# In routing order.
FEATURES = (
    admin,
    preferences,
    directories,
    team_admin,
    contacts,
    leads,
    interactions,
    deals,
    tasks,
    clients,
    records,
    imports,
    reports,
    exports,
    search,
    today,
)


def feature_routers() -> list[Router]:
    entry = [
        common.create_router(),
        start.create_router(),
        *(feature.create_router() for feature in FEATURES),
        fallback.create_entry_router(),
    ]
    for router in entry:
        router.callback_query.middleware(ButtonGuard(needs_message=router.name not in WITHOUT_MESSAGE))
    dialogs: list[Router] = [leave_dialog()]
    after: list[Router] = []
    for feature in FEATURES:
        dialogs.extend(feature.dialogs())
        after.extend(getattr(feature, "after_dialogs", list)())
    return [*entry, *dialogs, *after, fallback.create_router()]
