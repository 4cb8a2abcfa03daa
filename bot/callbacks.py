"""``CallbackData`` factories: short prefixes, ids only (Telegram allows 64 bytes).

A callback is never trusted: every handler that receives one re-checks the presser's rights.

Every ``int`` field is bounded to what the database can hold (a 64-bit signed id), so a forged ``2^63``,
``10^30`` or ``-1`` fails to parse. A press that fails to parse matches no handler and reaches the
catch-all in ``handlers.fallback``, which answers that the button is out of date.
"""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

DB_INT_MAX = 2**63 - 1
PAGE_MAX = 100_000
SMALL_MAX = 1_000

RecordId = Annotated[int, Field(gt=0, le=DB_INT_MAX)]
"""The id of a stored row: 1 … 2^63−1."""
OptionalId = Annotated[int, Field(ge=0, le=DB_INT_MAX)]
"""A row id, or 0 for "none"."""
PageNo = Annotated[int, Field(ge=0, le=PAGE_MAX)]
"""A page of a list, counted from 0."""
SmallInt = Annotated[int, Field(ge=0, le=SMALL_MAX)]
"""A small non-negative argument: a flag, a number of months."""


class InviteCb(CallbackData, prefix="inv"):
    action: str  # role | team | newteam
    role: str = ""
    team_id: OptionalId = 0


class SettingsCb(CallbackData, prefix="set"):
    action: str  # tz | lang | tzset | langset | tztype
    value: str = ""


class NavCb(CallbackData, prefix="nav"):
    """Back / cancel inside a form."""

    action: str  # back | cancel | skip


class PageCb(CallbackData, prefix="pg"):
    """A page of a list: ``kind`` is contacts | leads | deals | find, ``flt`` a filter code."""

    kind: str
    page: PageNo
    flt: str = ""


class ContactCb(CallbackData, prefix="ct"):
    """open (contacts) | lead: start a lead on this contact (leads)."""

    action: str
    id: RecordId


class LeadCb(CallbackData, prefix="ld"):
    """open | reject | reassign (leads) | log (interactions) | convert (deals) | task (tasks)."""

    action: str
    id: RecordId


class DealCb(CallbackData, prefix="dl"):
    """open | stage | product | won | lost (deals) | log (interactions) | task (tasks)."""

    action: str
    id: RecordId
    arg: OptionalId = 0


class TaskCb(CallbackData, prefix="tk"):
    """A task button: done | resched | open. ``src`` is "p" on the day plan, "n" on a notification."""

    action: str
    id: RecordId
    src: str = "n"


class PlanCb(CallbackData, prefix="tp"):
    """Open the day plan from a notification (the morning digest)."""

    action: str = "show"


def parse_id(text: str) -> int | None:
    """A row id carried in a ``str`` field: ASCII digits, 1 … 2^63−1; else ``None`` (stale or forged)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(DB_INT_MAX)):
        return None
    value = int(text)
    return value if 0 < value <= DB_INT_MAX else None


class ClientCb(CallbackData, prefix="cl"):
    """A client on a message outside the dialogs (a notification, search results, an old card): open | new |
    add (a contact person) | convert | route | lost | unlost; party: open the counterparty (``id`` is the
    counterparty's)."""

    action: str
    id: OptionalId = 0


class RouteCb(CallbackData, prefix="rt"):
    """A route on a notification or the day plan: show | approve | reject | withdraw."""

    action: str
    id: RecordId


class HistoryCb(CallbackData, prefix="hs"):
    """A card's history (buttons on cards sent before the dialogs): opens the history window."""

    entity: str
    id: RecordId
    page: PageNo = 0
    edit: SmallInt = 0


class DocsCb(CallbackData, prefix="dc"):
    """list (a card's documents) | attach (wait for a file for this card): buttons on cards sent before the
    dialogs; they open the documents window."""

    action: str
    entity: str
    id: RecordId
    page: PageNo = 0
    edit: SmallInt = 0


class DocCb(CallbackData, prefix="df"):
    """Send one document back: the id only; the card and the rights are read from the database."""

    id: RecordId


class LeadReassignCb(CallbackData, prefix="lra"):
    """Hand a lead to a person (the choice offered under an older lead card); rights are checked again."""

    lead: RecordId
    user: RecordId


class HandoverCb(CallbackData, prefix="ra"):
    """«🔁 Переназначить» on the notice that a deactivated ``owner`` left open work (team administration).

    The other fields are those of older buttons of the same prefix (list | one | to | all | allto); any of
    them opens the owner's open work, where every choice is checked again.
    """

    action: str
    owner: RecordId
    kind: str = ""
    rid: OptionalId = 0
    to: OptionalId = 0
    page: PageNo = 0


class ImportCb(CallbackData, prefix="im"):
    """An import's result: «↩️ Отменить импорт» (``undo``). Re-authorised: the importer or an admin."""

    action: str
    id: RecordId
