"""``CallbackData`` factories: short prefixes, ids only (Telegram allows 64 bytes).

A callback is never trusted: every handler that receives one re-checks the presser's rights.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class InviteCb(CallbackData, prefix="inv"):
    action: str  # role | team | newteam
    role: str = ""
    team_id: int = 0


class SettingsCb(CallbackData, prefix="set"):
    action: str  # tz | lang | tzset | langset | tztype
    value: str = ""


class NavCb(CallbackData, prefix="nav"):
    """Back / cancel inside a form."""

    action: str  # back | cancel | skip


class PageCb(CallbackData, prefix="pg"):
    """A page of a list: ``kind`` is contacts | leads | deals | find, ``flt`` a filter code."""

    kind: str
    page: int
    flt: str = ""


class PickCb(CallbackData, prefix="pk"):
    """A choice inside a form step: ``field`` names the step (source, group, product, stage, user, …)."""

    field: str
    id: int


class ContactCb(CallbackData, prefix="ct"):
    """open (contacts) | lead: start a lead on this contact (leads)."""

    action: str
    id: int


class LeadCb(CallbackData, prefix="ld"):
    """open | reject | reassign (leads) | log (interactions) | convert (deals) | task (tasks)."""

    action: str
    id: int


class DealCb(CallbackData, prefix="dl"):
    """open | stage | product | won | lost (deals) | log (interactions) | task (tasks)."""

    action: str
    id: int
    arg: int = 0


class TaskCb(CallbackData, prefix="tk"):
    """A task button: done | resched | open. ``src`` is "p" on the day plan, "n" on a notification."""

    action: str
    id: int
    src: str = "n"


class PlanCb(CallbackData, prefix="tp"):
    """Open the day plan from a notification (the morning digest)."""

    action: str = "show"
