"""Feature routers, built fresh for every dispatcher. Order matters: ``common`` (with ``/cancel``) first,
``fallback`` last: its catch-all answers any button no other router took (including callback data that fails
to parse) as out of date.

Every router's buttons go through :class:`handlers.guards.ButtonGuard`: a button on an inaccessible or inline
message gets the out-of-date alert, and a repository refusal (``NotAllowed`` / ``Gone``) the refusal alert.
Only ``common`` (cancel) and ``today`` (task buttons on old notifications) work without the message.
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
    fallback,
    interactions,
    leads,
    preferences,
    records,
    search,
    start,
    tasks,
    team_admin,
    today,
)
from handlers.guards import ButtonGuard

WITHOUT_MESSAGE = frozenset({"common", "today"})


def feature_routers() -> list[Router]:
    routers = [
        common.create_router(),
        start.create_router(),
        admin.create_router(),
        preferences.create_router(),
        directories.create_router(),
        team_admin.create_router(),
        contacts.create_router(),
        leads.create_router(),
        interactions.create_router(),
        deals.create_router(),
        tasks.create_router(),
        clients.create_router(),
        records.create_router(),
        search.create_router(),
        today.create_router(),
        fallback.create_router(),  # last: the catch-all for buttons
    ]
    for router in routers:
        router.callback_query.middleware(ButtonGuard(needs_message=router.name not in WITHOUT_MESSAGE))
    return routers
