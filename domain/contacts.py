"""R4: a client's contact, and what may not go into it.

R4b: a manager must not enter their own work or personal e-mail, or their own phone, into a client's contact.
The phone and e-mail checks are the value objects' (:class:`domain.values.MobilePhone`,
:class:`domain.values.Email`); this module holds the rest of R4b.
"""

from __future__ import annotations


def is_own_card(card_user_id: int | None, sender_id: int | None) -> bool:
    """R4b: a shared Telegram contact card that is the sender's own, so its phone is the manager's.

    A card of someone without a Telegram account has no user id, and is never the sender's own.
    """
    return card_user_id is not None and sender_id is not None and card_user_id == sender_id
