"""Feature routers, built fresh for every dispatcher. Order matters: ``common`` (with ``/cancel``) first,
``fallback`` last."""

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


def feature_routers() -> list[Router]:
    return [
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
        fallback.create_router(),
    ]
