"""R4: a client's contact, and what may not go into it.

R4b: a manager must not enter their own work or personal e-mail, or their own phone, into a client's contact.
The phone and e-mail checks are the value objects' (:class:`domain.values.MobilePhone`,
:class:`domain.values.Email`); this module holds the rest of R4b.
"""

from __future__ import annotations

from domain.errors import ValidationError
from domain.values import MobilePhone


def is_own_card(card_user_id: int | None, sender_id: int | None) -> bool:
    """R4b: a shared Telegram contact card that is the sender's own, so its phone is the manager's.

    A card of someone without a Telegram account has no user id, and is never the sender's own.
    """
    return card_user_id is not None and sender_id is not None and card_user_id == sender_id


def card_phone(number: str, region: str) -> MobilePhone:
    """The phone of a shared Telegram contact card: Telegram sends international digits, usually without
    «+»; a number it sends in national form is read in ``region``."""
    digits = number.strip()
    try:
        return MobilePhone.parse(digits if digits.startswith("+") else "+" + digits, region)
    except ValidationError:
        return MobilePhone.parse(digits, region)
