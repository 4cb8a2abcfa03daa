"""Placeholder: filled in by the interactions feature."""

from __future__ import annotations

from aiogram import Router


def create_router() -> Router:
    return Router(name="interactions")
