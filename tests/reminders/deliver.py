"""Deliver what the outbox holds, the way the scheduler does: the flows' tests run this before asserting
on a message that another user gets (a notice is an outbox row, sent by ``bot.sender``)."""

from __future__ import annotations

from bot.i18n import TranslatorHub
from bot.sender import drain_outbox
from bot.settings import Settings
from tests.harness import Harness


async def deliver(harness: Harness) -> int:
    """Drain the outbox through the harness's bot and database, without quiet hours (the hour the test runs
    at does not matter); the messages land in ``harness.messages_to`` like any other. Returns how many were
    sent."""
    settings = harness.dispatcher["settings"]
    assert isinstance(settings, Settings)
    quiet_free = settings.model_copy(update={"quiet_hours": ""})
    hub = harness.dispatcher["i18n_hub"]
    assert isinstance(hub, TranslatorHub)
    return await drain_outbox(harness.bot, harness.dispatcher["sessionmaker"], quiet_free, hub)
