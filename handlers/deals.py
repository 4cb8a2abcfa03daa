"""Placeholder: filled in by the deals feature."""

from __future__ import annotations

from aiogram import Router


def create_router() -> Router:
    return Router(name="deals")
